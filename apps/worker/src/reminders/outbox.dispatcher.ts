import { Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import {
  createQueue,
  queueReminders,
  type ReminderToQueue,
  type TypedQueue,
} from '@tautline/queues';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { ENV, REDIS } from '../infrastructure/infrastructure.module';

export const OUTBOX_QUEUE = Symbol('OUTBOX_QUEUE');

/** The `reminders` queue: one `reminder.send` job per outbox row, whatever its purpose. */
export const outboxQueueProvider = {
  provide: OUTBOX_QUEUE,
  inject: [ENV, REDIS],
  useFactory: (env: Env, redis: Redis): TypedQueue<'reminders'> =>
    createQueue('reminders', { connection: redis, prefix: env.REDIS_PREFIX }),
};

/**
 * Queues the send of outbox rows another part of the worker wrote (an alert's escalation email),
 * after their transaction committed. Never throws: the row is the truth, and the reconciler
 * queues any row left without a job.
 */
@Injectable()
export class OutboxDispatcher {
  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(OUTBOX_QUEUE) private readonly queue: TypedQueue<'reminders'>,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('outbox');
  }

  async dispatch(rows: readonly ReminderToQueue[]): Promise<void> {
    try {
      await queueReminders(this.queue, rows, {
        attempts: this.env.REMINDER_SEND_ATTEMPTS,
        backoffMs: this.env.REMINDER_BACKOFF_MS,
      });
    } catch (err) {
      this.logger.warn(
        { event: 'outbox.dispatch_failed', err: (err as Error).name },
        'queued later by the reconciler',
      );
    }
  }
}
