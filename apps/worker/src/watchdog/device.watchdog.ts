import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { type Env } from '@tautline/config';
import {
  type ClockInput,
  evaluateClock,
  initialSafetyState,
  lastHeardAt,
  type SafetyOutcome,
} from '@tautline/domain';
import { LiveSessionStore, redisNow } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, REDIS } from '../infrastructure/infrastructure.module';
import { AlertRecorder } from '../telemetry/alert.recorder';
import {
  type LiveSessionContext,
  loadRunningSessions,
  loadSessionContext,
} from '../telemetry/live-session.context';
import { LiveUpdates } from '../telemetry/live-updates';
import { SafetyStates } from '../telemetry/safety-states';
import { SessionLocks } from '../telemetry/session-locks';
import { AlertEscalator } from './alert.escalator';
import { AlertRealerter } from './alert.realerter';
import { ClinicMonitoring } from './clinic-monitoring';

const changes = (o: Pick<SafetyOutcome, 'raised' | 'resolved'>) =>
  o.raised.length + o.resolved.length;

/**
 * The device-heartbeat watchdog. Every worker process runs the timer; a Redis key per interval
 * (`SET <prefix>:watchdog NX PX <interval>`) lets one of them evaluate each tick. A tick judges
 * every running session's clock (`device_offline`, `session_overrun`) through the same locks and
 * alert path as the telemetry processor, then escalates critical alerts nobody acknowledged and
 * re-alerts acknowledged ones whose condition outlasted `realertAfterSeconds`.
 * The timer lives in the process, so it survives Redis losing everything.
 *
 * One clock: "now" is Redis `TIME`, the same clock the API stamps "heard at" with, so a skewed
 * API or worker host never makes a device look silent (or alive). A device answered 429 was heard:
 * overload raises one clinic-level `monitoring_degraded` alert instead of a flood of `device_offline`.
 */
@Injectable()
export class DeviceWatchdog implements OnModuleInit, BeforeApplicationShutdown {
  /** Without a record of the last batch (Redis lost it), a device is given its grace from the first tick on, not blamed. */
  private startedAt?: number;
  private readonly token = randomUUID();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    private readonly store: LiveSessionStore,
    private readonly locks: SessionLocks,
    private readonly states: SafetyStates,
    private readonly alerts: AlertRecorder,
    private readonly updates: LiveUpdates,
    private readonly escalator: AlertEscalator,
    private readonly realerter: AlertRealerter,
    private readonly monitoring: ClinicMonitoring,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('watchdog');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.tick().finally(() => (this.ticking = undefined));
    }, this.env.WATCHDOG_INTERVAL_MS);
  }

  /** One tick, if no other process has taken this interval. Never throws. */
  async tick(): Promise<void> {
    try {
      const mine = await this.redis.set(
        `${this.env.REDIS_PREFIX}:watchdog`,
        this.token,
        'PX',
        this.env.WATCHDOG_INTERVAL_MS,
        'NX',
      );
      if (mine !== 'OK') return;
    } catch (err) {
      this.logger.warn(
        { event: 'watchdog.failed', step: 'lock', err: (err as Error).name },
        'watchdog tick skipped',
      );
      return;
    }
    try {
      await this.checkClocks();
    } catch (err) {
      this.logger.warn(
        { event: 'watchdog.failed', step: 'clocks', err: (err as Error).name },
        'watchdog tick failed',
      );
    }
    try {
      await this.escalator.run();
    } catch (err) {
      this.logger.warn(
        { event: 'watchdog.failed', step: 'escalation', err: (err as Error).name },
        'watchdog tick failed',
      );
    }
    try {
      await this.realerter.run();
    } catch (err) {
      this.logger.warn(
        { event: 'watchdog.failed', step: 'realert', err: (err as Error).name },
        'watchdog tick failed',
      );
    }
  }

  private clockInput(s: LiveSessionContext, lastHeard: number | null, now: number): ClockInput {
    return {
      now,
      lastSampleReceivedAt: lastHeard ?? this.startedAt ?? now,
      runningSince: s.runningSince,
      runningSecondsBefore: s.runningSeconds,
      status: s.status,
      plan: s.plan,
      thresholds: s.thresholds,
      labels: { roomName: s.roomName },
    };
  }

  /** When each session's device was last heard from: an accepted batch or a refused (429) one. */
  private async lastHeard(ids: readonly string[]) {
    const [received, throttled] = await Promise.all([
      this.store.lastReceived(ids),
      this.store.lastThrottled(ids),
    ]);
    return {
      throttled,
      heard: (id: string) => lastHeardAt(received.get(id) ?? null, throttled.get(id) ?? null),
    };
  }

  private async checkClocks(): Promise<void> {
    const now = await redisNow(this.redis);
    this.startedAt ??= now;
    const sessions = await loadRunningSessions(this.db);
    const ids = sessions.map((s) => s.sessionId);
    const [{ throttled, heard }, stored] = await Promise.all([
      this.lastHeard(ids),
      Promise.all(ids.map((id) => this.states.stored(id))),
    ]);
    // A first look without locks; only sessions whose alerts change are judged again under their lock.
    const due = sessions.filter(
      (s, i) =>
        changes(
          evaluateClock(
            stored[i] ?? initialSafetyState(),
            this.clockInput(s, heard(s.sessionId), now),
          ),
        ) > 0,
    );
    await Promise.all(due.map((s) => this.locks.run(s.sessionId, () => this.judge(s.sessionId))));
    await this.monitoring.check(sessions, throttled, now);
  }

  private async judge(sessionId: string): Promise<void> {
    // Fresh under the lock: the session may have paused or stopped, a batch may just have arrived.
    const session = await loadSessionContext(this.db, { sessionId });
    if (!session || session.status !== 'running') return;
    const [{ state: before, rebuilt }, { heard }, now] = await Promise.all([
      this.states.load(sessionId),
      this.lastHeard([sessionId]),
      redisNow(this.redis),
    ]);
    const outcome = evaluateClock(before, this.clockInput(session, heard(sessionId), now));
    if (changes(outcome) === 0) {
      // Rebuilt from open alerts (Redis had none): keep it, so the next tick's first look sees them.
      if (rebuilt) await this.states.save(sessionId, outcome.state);
      return;
    }
    const recorded = await this.alerts.record(session, before, outcome);
    await this.states.save(sessionId, outcome.state);
    this.updates.markDirty(sessionId, session.organisationId);
    this.logger.info(
      {
        event: 'watchdog.judged',
        sessionId,
        raised: recorded.raised.length,
        resolved: recorded.resolved.length,
      },
      'session clock judged',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.escalator.drain();
  }
}
