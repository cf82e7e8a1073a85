import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { type Env } from '@tautline/config';
import {
  accumulateSummary,
  emptySummary,
  evaluateSamples,
  type LatestReadings,
  type SafetyState,
  SummaryAccumulator,
  type TelemetrySample,
} from '@tautline/domain';
import {
  closeWithin,
  createWorker,
  LiveSessionStore,
  parseJob,
  type TelemetryJob,
  type TypedJob,
  type TypedWorker,
  telemetryRetryDelay,
} from '@tautline/queues';
import { UnrecoverableError } from 'bullmq';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, REDIS } from '../infrastructure/infrastructure.module';
import { AlertRecorder } from './alert.recorder';
import { isLive, type LiveSessionContext, loadSessionContext } from './live-session.context';
import { LiveUpdates } from './live-updates';
import { SafetyStates } from './safety-states';
import { SessionLocks } from './session-locks';
import { insertTelemetrySamples } from './telemetry-samples';
import { INVALID_TELEMETRY_PAYLOAD, telemetryRejectedKey } from './telemetry.redrive';

export type TelemetryOutcome =
  | {
      processed: true;
      live: boolean;
      stored: number;
      ignored: number;
      raised: number;
      resolved: number;
    }
  | { processed: false; reason: string };

/**
 * The `telemetry` queue: one accepted batch of a device's session per job. Per session, one batch
 * at a time (see SessionLocks): read the session, judge the samples against the safety state,
 * store and push alerts first (never coalesced), then the samples, then the live state, then
 * mark the session for the coalesced `session.updated`. Every step is idempotent, so a retry
 * after a crash at any point stores and raises nothing twice.
 */
@Injectable()
export class TelemetryProcessor implements OnModuleInit, BeforeApplicationShutdown {
  private worker?: TypedWorker<'telemetry'>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    private readonly store: LiveSessionStore,
    private readonly locks: SessionLocks,
    private readonly states: SafetyStates,
    private readonly alerts: AlertRecorder,
    private readonly updates: LiveUpdates,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('telemetry');
  }

  onModuleInit(): void {
    const worker = createWorker('telemetry', (job) => this.process(job), {
      connection: this.redis.duplicate(),
      prefix: this.env.REDIS_PREFIX,
      concurrency: this.env.TELEMETRY_CONCURRENCY,
      // Capped, so the first try after a database outage comes within TELEMETRY_RETRY_MAX_DELAY_MS of its end.
      settings: {
        backoffStrategy: (attemptsMade: number) =>
          telemetryRetryDelay(attemptsMade, this.env.TELEMETRY_RETRY_MAX_DELAY_MS),
      },
    });
    worker.on('failed', (job, err) => {
      if (err instanceof UnrecoverableError) {
        // Never re-driven (TelemetryRedrive skips it): counted and logged, kept in the failed set to inspect.
        void this.redis.incr(telemetryRejectedKey(this.env.REDIS_PREFIX)).catch(() => undefined);
        this.logger.error(
          { event: 'telemetry.rejected', queue: 'telemetry', jobId: job?.id, err: err.message },
          'invalid telemetry job: not retried',
        );
        return;
      }
      const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn(
        {
          event: 'job.failed',
          queue: 'telemetry',
          jobId: job?.id,
          attemptsMade: job?.attemptsMade,
          final,
          err: err.name,
        },
        final
          ? 'telemetry job out of tries: the re-drive will queue it again'
          : 'telemetry job failed: retrying',
      );
    });
    worker.on('error', (err) =>
      this.logger.warn(
        { event: 'worker.error', queue: 'telemetry', err: err.name },
        'telemetry worker error',
      ),
    );
    this.worker = worker;
  }

  async process(job: TypedJob<'telemetry'>): Promise<TelemetryOutcome> {
    let payload: TelemetryJob;
    try {
      payload = parseJob('telemetry', job);
    } catch (e) {
      // A malformed payload will never become valid: fail once, do not retry.
      throw new UnrecoverableError(`${INVALID_TELEMETRY_PAYLOAD}: ${(e as Error).message}`);
    }
    return this.locks.run(payload.sessionId, () => this.ingest(String(job.id), payload));
  }

  private async ingest(jobId: string, payload: TelemetryJob): Promise<TelemetryOutcome> {
    const session = await loadSessionContext(this.db, payload);
    if (!session) {
      this.logger.warn(
        {
          event: 'telemetry.dropped',
          jobId,
          sessionId: payload.sessionId,
          deviceId: payload.deviceId,
        },
        'no such session of this device',
      );
      return { processed: false, reason: 'session not found for this device' };
    }
    if (!isLive(session.status)) {
      // A batch in flight when the session stopped: kept, but judged by nobody and shown to nobody.
      const stored = await insertTelemetrySamples(this.db, payload);
      this.logger.info(
        { event: 'telemetry.after_end', jobId, sessionId: session.sessionId, stored },
        'samples of an ended session stored',
      );
      return { processed: true, live: false, stored, ignored: 0, raised: 0, resolved: 0 };
    }

    const { state: before, rebuilt } = await this.states.load(session.sessionId);
    if (rebuilt)
      this.logger.debug(
        { event: 'safety.state_from_db', jobId, sessionId: session.sessionId },
        'no safety state in Redis: started from the open alerts',
      );
    const evaluation = evaluateSamples(before, payload.samples, {
      plan: session.plan,
      thresholds: session.thresholds,
      labels: { roomName: session.roomName },
    });
    const recorded = await this.alerts.record(session, before, evaluation);
    const stored = await insertTelemetrySamples(this.db, payload);
    await this.saveLiveState(session, payload, before.lastSeq, evaluation.state);
    this.updates.markDirty(session.sessionId, session.organisationId);
    this.logger.debug(
      {
        event: 'telemetry.batch',
        jobId,
        sessionId: session.sessionId,
        stored,
        ignored: evaluation.ignored,
        raised: recorded.raised.length,
        resolved: recorded.resolved.length,
      },
      'telemetry batch processed',
    );
    return {
      processed: true,
      live: true,
      stored,
      ignored: evaluation.ignored,
      raised: recorded.raised.length,
      resolved: recorded.resolved.length,
    };
  }

  private async saveLiveState(
    session: LiveSessionContext,
    payload: TelemetryJob,
    lastSeqBefore: number | null,
    state: SafetyState,
  ): Promise<void> {
    const stored = SummaryAccumulator.safeParse(
      await this.store.readJson('summary', session.sessionId),
    );
    const summary = accumulateSummary(
      stored.success ? stored.data : emptySummary(session.plan),
      payload.samples,
      session.plan,
    );
    const newest = payload.samples.reduce<TelemetrySample | undefined>(
      (a, s) => (!a || s.seq > a.seq ? s : a),
      undefined,
    );
    // An older batch processed late (or a replay) never replaces newer readings.
    const latest: LatestReadings | null =
      newest && (lastSeqBefore === null || newest.seq > lastSeqBefore)
        ? {
            seq: newest.seq,
            at: newest.at,
            receivedAt: payload.receivedAt,
            batteryPct: newest.batteryPct,
            flags: newest.flags,
            channels: newest.channels,
          }
        : null;
    await Promise.all([
      this.states.save(session.sessionId, state),
      this.store.writeJson('summary', session.sessionId, summary),
      latest ? this.store.writeLatest(session.sessionId, latest) : Promise.resolve(),
    ]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const connection = this.worker ? await this.worker.client : undefined;
    await closeWithin(() => this.worker?.close() ?? Promise.resolve());
    connection?.disconnect();
  }
}
