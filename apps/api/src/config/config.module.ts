import { Global, Module } from '@nestjs/common';
import { type Env, loadEnv } from '@tautline/config';

/** Injection token for the validated environment. */
export const ENV = Symbol('ENV');

@Global()
@Module({})
export class ConfigModule {
  /** Tests pass their own environment; the process passes `process.env`. */
  static forRoot(env: Env = loadEnv()) {
    return { module: ConfigModule, providers: [{ provide: ENV, useValue: env }], exports: [ENV] };
  }
}
