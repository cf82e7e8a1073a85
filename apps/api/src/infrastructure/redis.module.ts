import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { createRedisConnection } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { closeRedis } from '@tautline/queues';
import { ENV } from '../config/config.module';

export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ENV],
      // The eviction policy was checked before the app was built (createApp).
      useFactory: (env: Env) =>
        createRedisConnection(env.REDIS_URL, { connectionName: 'tautline-api' }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
