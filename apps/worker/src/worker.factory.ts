import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Env } from '@tautline/config';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** The worker is a Nest application context: dependency injection and lifecycle, no HTTP server. */
export async function createWorkerContext(
  env: Env,
  options: { logStream?: NodeJS.WritableStream } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env, options.logStream), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
