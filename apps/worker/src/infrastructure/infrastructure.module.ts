import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { createDataSource, databaseTimeouts } from '@tautline/db';
import { closeRedis, createLiveEmitter, createRedisConnection } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { type DataSource } from 'typeorm';

export const ENV = Symbol('ENV');
export const REDIS = Symbol('REDIS');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const LIVE_EMITTER = Symbol('LIVE_EMITTER');

/** The worker's connections: PostgreSQL, Redis (checked for noeviction) and the socket.io emitter. */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
  ) {}

  static forRoot(env: Env) {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: ENV, useValue: env },
        {
          provide: REDIS,
          // The eviction policy was checked before the context was built (createWorkerContext).
          useFactory: () =>
            createRedisConnection(env.REDIS_URL, { connectionName: 'tautline-worker' }),
        },
        {
          provide: DATA_SOURCE,
          useFactory: () =>
            createDataSource({
              url: env.DATABASE_URL,
              applicationName: 'tautline-worker',
              // Each reminder send holds a connection of its own (its send lock) for up to a provider call.
              poolSize: 20 + env.REMINDER_CONCURRENCY,
              timeouts: databaseTimeouts(env),
            }).initialize(),
        },
        {
          provide: LIVE_EMITTER,
          inject: [REDIS],
          useFactory: (redis: Redis) => createLiveEmitter(redis, env.REDIS_PREFIX),
        },
      ],
      exports: [ENV, REDIS, DATA_SOURCE, LIVE_EMITTER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
    if (this.db.isInitialized) await this.db.destroy();
  }
}
