import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import { dataSourceOptions } from '@tautline/db';
import { ENV } from '../config/config.module';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ENV],
      useFactory: (env: Env) => ({
        ...dataSourceOptions({ url: env.DATABASE_URL, applicationName: 'tautline-api', poolSize: 20 }),
        retryAttempts: 3,
        retryDelay: 1_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
