import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Env } from '@tautline/config';
import {
  closeWithin,
  createQueue,
  createWorker,
  parseJob,
  type TypedJob,
  type TypedQueue,
  type TypedWorker,
} from '@tautline/queues';
import { UnrecoverableError } from 'bullmq';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { type DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, REDIS } from '../infrastructure/infrastructure.module';
import { type MessageChannels, MESSAGE_CHANNELS } from './channels/channels.provider';
import { type ReconcileReport, ReminderReconciler } from './reminder.reconciler';
import { ReminderSender, type SendOutcome } from './reminder.sender';

/**
 * The `reminders` queue: `reminder.send` (one outbox row) and `reminders.reconcile`. Every worker
 * process adds one reconcile job per interval with a job id of that interval, so however many
 * workers run, it runs once per interval; and because the timer lives in the process, it comes
 * back by itself after Redis has lost everything (a repeatable job's schedule would be lost too).
 */
@Injectable()
export class ReminderProcessor implements OnModuleInit, OnApplicationShutdown {
  private worker?: TypedWorker<'reminders'>;
  private queue!: TypedQueue<'reminders'>;
  private timer?: NodeJS.Timeout;
  private sender!: ReminderSender;
  private reconciler!: ReminderReconciler;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(MESSAGE_CHANNELS) private readonly channels: MessageChannels,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('reminders');
  }

  onModuleInit(): void {
    this.queue = createQueue('reminders', {
      connection: this.redis,
      prefix: this.env.REDIS_PREFIX,
    });
    this.sender = new ReminderSender(this.env, this.db, this.channels, this.logger);
    this.reconciler = new ReminderReconciler(this.env, this.db, this.queue);
    const worker = createWorker('reminders', (job) => this.process(job), {
      connection: this.redis.duplicate(),
      prefix: this.env.REDIS_PREFIX,
      concurrency: this.env.REMINDER_CONCURRENCY,
      // A crashed worker's job comes back after its lock, as its row's lease runs out.
      lockDuration: this.env.REMINDER_LEASE_MS,
      stalledInterval: this.env.REMINDER_LEASE_MS,
      maxStalledCount: 3,
    });
    worker.on('failed', (job, err) =>
      this.logger.warn(
        { event: 'job.failed', queue: 'reminders', jobId: job?.id, err: err.name },
        'reminder job failed',
      ),
    );
    worker.on('error', (err) =>
      this.logger.warn(
        { event: 'worker.error', queue: 'reminders', err: err.name },
        'reminder worker error',
      ),
    );
    this.worker = worker;
    void this.scheduleReconcile();
    this.timer = setInterval(
      () => void this.scheduleReconcile(),
      this.env.REMINDER_RECONCILE_EVERY_MS,
    );
  }

  async process(job: TypedJob<'reminders'>): Promise<SendOutcome | ReconcileReport> {
    let payload;
    try {
      payload = parseJob('reminders', job);
    } catch (e) {
      throw new UnrecoverableError(`invalid reminders job: ${(e as Error).message}`);
    }
    if (job.name === 'reminders.reconcile') {
      const report = await this.reconciler.run();
      if (report.requeued || report.missed)
        this.logger.info({ event: 'reminders.reconciled', ...report }, 'reminder jobs repaired');
      return report;
    }
    const { reminderId } = payload as { reminderId: string };
    return this.sender.send({
      reminderId,
      lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    });
  }

  /** Adds this interval's reconcile job (a no-op when another worker already did). */
  private async scheduleReconcile(): Promise<void> {
    const every = this.env.REMINDER_RECONCILE_EVERY_MS;
    try {
      await this.queue.add(
        'reminders.reconcile',
        {},
        {
          jobId: `reconcile-${Math.floor(Date.now() / every)}`,
          attempts: 1,
          removeOnComplete: { age: Math.ceil((every * 10) / 1000) },
          removeOnFail: { age: Math.ceil((every * 10) / 1000) },
        },
      );
    } catch (err) {
      this.logger.warn(
        { event: 'reminders.reconcile_unscheduled', err: (err as Error).name },
        'reconcile not scheduled; next tick retries',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const connection = this.worker ? await this.worker.client : undefined;
    await closeWithin(() => this.worker?.close() ?? Promise.resolve());
    connection?.disconnect();
    await closeWithin(() => this.queue.close());
    await this.channels.close();
  }
}
