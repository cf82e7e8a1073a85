import { Global, Module } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { createLiveEmitter } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';

export const LIVE_EMITTER = Symbol('LIVE_EMITTER');

/** Typed events to `/live` rooms from request handlers, through the same Redis channel the worker uses. */
@Global()
@Module({
  providers: [
    {
      provide: LIVE_EMITTER,
      inject: [ENV, REDIS],
      useFactory: (env: Env, redis: Redis) => createLiveEmitter(redis, env.REDIS_PREFIX),
    },
  ],
  exports: [LIVE_EMITTER],
})
export class LiveEmitterModule {}
