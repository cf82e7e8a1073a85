import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { type Env } from '@tautline/config';
import { closeWithin, createQueue, type TypedQueue } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { ENV, REDIS } from '../infrastructure/infrastructure.module';

/** The failure reason of a job whose payload can never be valid: such a job is never re-driven. */
export const INVALID_TELEMETRY_PAYLOAD = 'invalid telemetry payload';
/** How many telemetry jobs were refused as invalid (INCR per job), for operators and tests. */
export const telemetryRejectedKey = (prefix: string) => `${prefix}:telemetry:rejected`;

/** Failed jobs looked at per page; a re-drive goes through the whole failed set page by page. */
const PAGE = 200;

export interface RedriveReport {
  redriven: number;
  invalid: number;
}

/**
 * A 202 promises the samples will be stored, so no accepted batch may stay failed: a job that ran
 * out of tries (an outage longer than TELEMETRY_RETRY_FOR_MS) is moved back to waiting with fresh
 * tries every TELEMETRY_REDRIVE_EVERY_MS. A Redis key per interval (`SET NX PX`) lets one worker
 * process do it; samples are idempotent, so a batch stored late or twice counts once. Jobs refused
 * as invalid (UnrecoverableError) are skipped: they were counted when they failed.
 */
@Injectable()
export class TelemetryRedrive implements OnModuleInit, BeforeApplicationShutdown {
  private readonly token = randomUUID();
  private queue!: TypedQueue<'telemetry'>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('telemetry');
  }

  onModuleInit(): void {
    this.queue = createQueue('telemetry', {
      connection: this.redis,
      prefix: this.env.REDIS_PREFIX,
    });
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick().finally(() => (this.running = undefined));
    }, this.env.TELEMETRY_REDRIVE_EVERY_MS);
  }

  /** One re-drive, if no other process has taken this interval. Never throws. */
  async tick(): Promise<RedriveReport | null> {
    try {
      const lock = `${this.env.REDIS_PREFIX}:telemetry:redrive`;
      if (
        (await this.redis.set(
          lock,
          this.token,
          'PX',
          this.env.TELEMETRY_REDRIVE_EVERY_MS,
          'NX',
        )) !== 'OK'
      )
        return null;
      const report = await this.redrive();
      if (report.redriven > 0)
        this.logger.warn(
          { event: 'telemetry.redriven', ...report },
          'failed telemetry jobs queued again',
        );
      return report;
    } catch (err) {
      this.logger.warn(
        { event: 'telemetry.redrive_failed', err: (err as Error).name },
        'telemetry re-drive failed; next interval retries',
      );
      return null;
    }
  }

  /** Moves every failed job but the invalid ones back to waiting, tries counted from zero. */
  async redrive(): Promise<RedriveReport> {
    const report: RedriveReport = { redriven: 0, invalid: 0 };
    // Re-driven jobs leave the failed set (order kept), so the next page starts after those left in it.
    let left = 0;
    for (;;) {
      const jobs = await this.queue.getFailed(left, left + PAGE - 1);
      for (const job of jobs) {
        if (job.failedReason?.startsWith(INVALID_TELEMETRY_PAYLOAD)) {
          report.invalid++;
          left++;
          continue;
        }
        try {
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          report.redriven++;
        } catch {
          left++; // retried or removed by another process meanwhile
        }
      }
      if (jobs.length < PAGE) return report;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await closeWithin(() => this.queue.close());
  }
}
