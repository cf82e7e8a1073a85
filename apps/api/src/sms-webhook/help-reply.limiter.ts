import { Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { type Redis } from 'ioredis';
import { ENV } from '../config/config.module';
import { REDIS } from '../infrastructure/redis.module';
import { keyDigest } from '../rate-limit/rate-limiter.service';

/**
 * At most one HELP answer per phone number per `SMS_HELP_REPLY_INTERVAL_MINUTES`, in Redis so every
 * API instance agrees: five HELP texts queue one SMS, not five (each costs money and annoys).
 * The key holds the message id that won, so concurrent redeliveries of that same message still
 * count as the winner (the database keeps only one of them).
 */
@Injectable()
export class HelpReplyLimiter {
  private readonly intervalMs: number;
  private readonly prefix: string;

  constructor(
    @Inject(ENV) env: Env,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.intervalMs = env.SMS_HELP_REPLY_INTERVAL_MINUTES * 60_000;
    this.prefix = `${env.REDIS_PREFIX}:sms-help`;
  }

  /** True when this message may be answered; false when the number had a HELP answer recently. */
  async claim(phone: string, messageId: string): Promise<boolean> {
    const key = `${this.prefix}:${keyDigest(phone)}`;
    if ((await this.redis.set(key, messageId, 'PX', this.intervalMs, 'NX')) === 'OK') return true;
    return (await this.redis.get(key)) === messageId;
  }
}
