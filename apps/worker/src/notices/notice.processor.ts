import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { clinicRoom, type Notice } from '@tautline/domain';
import {
  createWorker,
  type LiveEmitter,
  parseJob,
  type TypedJob,
  type TypedWorker,
} from '@tautline/queues';
import { UnrecoverableError } from 'bullmq';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { type DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, LIVE_EMITTER, REDIS } from '../infrastructure/infrastructure.module';

export type NoticeOutcome =
  | { delivered: true; room: string }
  | { delivered: false; reason: string };

/** Fans a clinic notice out to the clinic's live room, through the Redis emitter. */
@Injectable()
export class NoticeProcessor implements OnModuleInit, OnApplicationShutdown {
  private worker?: TypedWorker<'notices'>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('notices');
  }

  onModuleInit(): void {
    const worker = createWorker('notices', (job) => this.process(job), {
      // Workers block on their connection, so they get one of their own.
      connection: this.redis.duplicate(),
      prefix: this.env.REDIS_PREFIX,
      concurrency: 8,
    });
    this.worker = worker;
    worker.on('failed', (job, err) =>
      this.logger.warn(
        { event: 'job.failed', queue: 'notices', jobId: job?.id, err: err.message },
        'notice job failed',
      ),
    );
  }

  async process(job: TypedJob<'notices'>): Promise<NoticeOutcome> {
    let payload;
    try {
      payload = parseJob('notices', job);
    } catch (e) {
      // A malformed payload will never become valid: fail once, do not retry.
      throw new UnrecoverableError(`invalid notice payload: ${(e as Error).message}`);
    }
    // Defence in depth: the clinic must still exist in the organisation the producer named.
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM clinics WHERE id = $1 AND organisation_id = $2`,
      [payload.clinicId, payload.organisationId],
    );
    if (rows.length === 0) {
      this.logger.warn(
        { event: 'notice.dropped', jobId: job.id, clinicId: payload.clinicId },
        'clinic not in organisation',
      );
      return { delivered: false, reason: 'clinic not found in organisation' };
    }
    const notice: Notice = {
      id: String(job.id),
      clinicId: payload.clinicId,
      message: payload.message,
      postedBy: payload.postedBy,
      postedAt: payload.postedAt,
    };
    const room = clinicRoom(payload.clinicId);
    this.live.to(room).emit('notice.posted', notice);
    this.logger.info(
      { event: 'notice.delivered', jobId: job.id, clinicId: payload.clinicId },
      'notice delivered',
    );
    return { delivered: true, room };
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.worker ? await this.worker.client : undefined;
    await this.worker?.close();
    connection?.disconnect();
  }
}
