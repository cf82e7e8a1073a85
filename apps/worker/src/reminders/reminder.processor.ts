import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type Env } from '@tautline/config';
import {
  closeWithin,
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
import { OUTBOX_QUEUE } from './outbox.dispatcher';
import { type ReconcileReport, ReminderReconciler } from './reminder.reconciler';
import { ReminderSender, type SendOutcome } from './reminder.sender';

/**
 * The `reminders` queue: `reminder.send` (one outbox row, any purpose: patient reminders and
 * keyword answers, staff escalation emails) and `reminders.reconcile`. Every worker
 * process adds one reconcile job per interval with a job id of that interval, so however many
 * workers run, it runs once per interval; and because the timer lives in the process, it comes
 * back by itself after Redis has lost everything (a repeatable job's schedule would be lost too).
 */
@Injectable()
export class ReminderProcessor
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  private worker?: TypedWorker<'reminders'>;
  private timer?: NodeJS.Timeout;
  private sender!: ReminderSender;
  private reconciler!: ReminderReconciler;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(MESSAGE_CHANNELS) private readonly channels: MessageChannels,
    @Inject(OUTBOX_QUEUE) private readonly queue: TypedQueue<'reminders'>,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('reminders');
  }

  onModuleInit(): void {
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
      if (report.requeued || report.missed || report.failed)
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

  /**
   * Before any connection closes: take no new jobs and let the sends in flight finish, for up to
   * REMINDER_SHUTDOWN_GRACE_MS (at least one provider call). A send cut off after the provider
   * took it would be sent again after the restart by a provider that ignores idempotency keys.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const connection = this.worker ? await this.worker.client : undefined;
    const started = Date.now();
    await closeWithin(
      () => this.worker?.close() ?? Promise.resolve(),
      this.env.REMINDER_SHUTDOWN_GRACE_MS,
    );
    this.logger.info(
      { event: 'reminders.drained', ms: Date.now() - started },
      'reminder worker closed',
    );
    connection?.disconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(() => this.queue.close());
    await this.channels.close();
  }
}
