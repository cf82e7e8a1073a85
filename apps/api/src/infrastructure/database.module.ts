import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import { databaseTimeouts, dataSourceOptions } from '@tautline/db';
import { ENV } from '../config/config.module';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ENV],
      useFactory: (env: Env) => ({
        // Bounded connect, statement and read times: a dead or partitioned database is a prompt 503.
        ...dataSourceOptions({
          url: env.DATABASE_URL,
          applicationName: 'tautline-api',
          poolSize: 20,
          timeouts: databaseTimeouts(env),
        }),
        retryAttempts: 3,
        retryDelay: 1_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
