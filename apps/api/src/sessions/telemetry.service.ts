import { HttpStatus, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import { checkTelemetryBatch, type SessionPlan, type TelemetrySample } from '@tautline/domain';
import {
  closeWithin,
  LiveSessionStore,
  telemetryJobOptions,
  type TypedQueue,
} from '@tautline/queues';
import { type Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ENV } from '../config/config.module';
import { Problem, validationProblem } from '../common/problem';
import { type AuthenticatedDevice } from '../devices/devices.service';
import { REDIS } from '../infrastructure/redis.module';
import { TELEMETRY_QUEUE } from './telemetry.queue';

/** Samples per job: the worker inserts and evaluates a job's samples in one go. */
const SAMPLES_PER_JOB = 100;

export interface Accepted {
  accepted: number;
  sessionId: string;
}

/**
 * Telemetry ingestion: a device writes only to its own running (or paused) session, a batch is
 * valid as a whole or refused as a whole, and accepted samples go to the worker through BullMQ.
 * Under overload the answer is 429 with Retry-After, never a silent drop.
 */
@Injectable()
export class TelemetryService implements OnApplicationShutdown {
  private readonly store: LiveSessionStore;
  /** Retries that outlast a database outage of TELEMETRY_RETRY_FOR_MS: a 202 means the samples will be stored. */
  private readonly jobOptions: ReturnType<typeof telemetryJobOptions>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TELEMETRY_QUEUE) private readonly queue: TypedQueue<'telemetry'>,
    @Inject(REDIS) redis: Redis,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.store = new LiveSessionStore(redis, env.REDIS_PREFIX);
    this.jobOptions = telemetryJobOptions({
      retryForMs: env.TELEMETRY_RETRY_FOR_MS,
      maxDelayMs: env.TELEMETRY_RETRY_MAX_DELAY_MS,
    });
  }

  async ingest(device: AuthenticatedDevice, body: unknown, now = new Date()): Promise<Accepted> {
    const [session] = (await this.db.query(
      `SELECT id, clinic_id, plan FROM treatment_sessions WHERE device_id = $1 AND status IN ('running', 'paused')`,
      [device.id],
    )) as { id: string; clinic_id: string; plan: SessionPlan }[];
    if (!session) {
      throw new Problem(
        HttpStatus.CONFLICT,
        'No running session',
        'this device has no running session: start one before streaming',
      );
    }
    const check = checkTelemetryBatch(body, {
      now: now.getTime(),
      plannedChannels: session.plan.channels.map((c) => c.channel),
    });
    if (!check.ok) throw validationProblem(check.problems);
    const backlog = await this.queue.getWaitingCount();
    if (backlog > this.env.TELEMETRY_MAX_BACKLOG) {
      // Refused, but heard: the watchdog must not call a device offline because the server is overloaded.
      await this.store.markThrottled(session.id);
      throw new Problem(
        HttpStatus.TOO_MANY_REQUESTS,
        'Too many requests',
        'telemetry is arriving faster than it is processed; retry shortly',
        undefined,
        {
          retryAfterSeconds: 1,
        },
      );
    }
    const samples = check.batch.samples;
    const receivedAt = now.toISOString();
    const chunks: TelemetrySample[][] = [];
    for (let i = 0; i < samples.length; i += SAMPLES_PER_JOB)
      chunks.push(samples.slice(i, i + SAMPLES_PER_JOB));
    await this.queue.addBulk(
      chunks.map((chunk) => ({
        name: 'telemetry.batch' as const,
        data: {
          organisationId: device.organisationId,
          clinicId: session.clinic_id,
          sessionId: session.id,
          deviceId: device.id,
          receivedAt,
          samples: chunk,
        },
        opts: {
          // A resent batch while the first is queued is the same job (samples are idempotent anyway).
          jobId: `${device.id}_${chunk[0]!.seq}-${chunk[chunk.length - 1]!.seq}`,
          ...this.jobOptions,
        },
      })),
    );
    // Stamped by Redis's clock, which the watchdog also reads "now" from (never this host's clock).
    await this.store.markReceived(session.id);
    return { accepted: samples.length, sessionId: session.id };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(() => this.queue.close());
  }
}
