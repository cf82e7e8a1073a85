import { Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { redisKeys } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import { RedisThrottlerStorage } from '../auth/redis-throttler.storage';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';

/** The rate-limited routes; each counts per user, except the public patient link (per link). */
export const RATE_LIMITS = [
  'slots',
  'bookings',
  'notices',
  'patient-search',
  'patient-link-slots',
] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

const WINDOW_MS = 60_000;

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; limit: number };

/** A short, stable digest for key names: tokens and phone numbers never appear in Redis keys. */
export const keyDigest = (value: string) =>
  createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * Per-minute counters in Redis (the sign-in throttler's storage), so every API instance shares one
 * limit per caller. Over the limit the caller is held off for a whole window.
 */
@Injectable()
export class RateLimiter {
  private readonly storage: RedisThrottlerStorage;
  private readonly perMinute: Record<RateLimitName, number>;

  constructor(
    @Inject(ENV) env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('rate-limit');
    this.storage = new RedisThrottlerStorage(redis, redisKeys(env.REDIS_PREFIX).throttle);
    this.perMinute = {
      slots: env.RATE_LIMIT_SLOTS_PER_MINUTE,
      bookings: env.RATE_LIMIT_BOOKINGS_PER_MINUTE,
      notices: env.RATE_LIMIT_NOTICES_PER_MINUTE,
      'patient-search': env.RATE_LIMIT_PATIENT_SEARCH_PER_MINUTE,
      'patient-link-slots': env.RATE_LIMIT_PATIENT_LINK_SLOTS_PER_MINUTE,
    };
  }

  /** Counts one request of `subject` (a user id, a link digest) against the named limit. */
  async hit(name: RateLimitName, subject: string): Promise<RateDecision> {
    const limit = this.perMinute[name];
    try {
      const record = await this.storage.increment(
        subject,
        WINDOW_MS,
        limit,
        WINDOW_MS,
        `rate-${name}`,
      );
      if (!record.isBlocked) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(record.timeToBlockExpire, 1), limit };
    } catch (error) {
      // Redis down: serve the request (the health check reports Redis) rather than fail every read.
      this.logger.warn(
        { event: 'rate_limit.unavailable', limit: name, err: error },
        'rate limit not checked',
      );
      return { allowed: true };
    }
  }
}
