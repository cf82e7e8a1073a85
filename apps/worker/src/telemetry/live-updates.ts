import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { type Env } from '@tautline/config';
import { loadOpenAlerts, loadSessionCards, type SessionCard } from '@tautline/db';
import { clinicRoom, isFinalSessionStatus, type LiveSession } from '@tautline/domain';
import { type LiveEmitter, LiveSessionStore } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, LIVE_EMITTER, REDIS } from '../infrastructure/infrastructure.module';

interface CachedCard {
  card: SessionCard;
  loadedAt: number;
}

interface ClockRow {
  id: string;
  status: SessionCard['status'];
  started_at: Date | null;
  running_seconds: number;
  running_since: Date | null;
}

/** Cards (who, where, plan) are re-read this often; status and running time are read at every push. */
const CARD_TTL_MS = 30_000;

/**
 * Coalesces `session.updated` (DESIGN Key decision 5): telemetry and alert changes only mark a
 * session dirty; every LIVE_UPDATE_INTERVAL_MS this process emits one update per dirty session,
 * with the latest readings, the open alerts and the next `(updateEpoch, updateSeq)`. A short Redis key per
 * session (`SET … NX PX`) keeps several worker processes from pushing the same session in the
 * same interval; a session that loses that race stays dirty for the next tick, so the newest
 * readings always go out. A push costs, for all dirty sessions together, one read of their
 * status and running time, one of their open alerts and one MGET of their readings; the rest of
 * the card is cached.
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, BeforeApplicationShutdown {
  /** sessionId → organisationId. */
  private readonly dirty = new Map<string, string>();
  private readonly cards = new Map<string, CachedCard>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    private readonly store: LiveSessionStore,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('live-updates');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      if (this.flushing) return;
      this.flushing = this.flush().finally(() => (this.flushing = undefined));
    }, this.env.LIVE_UPDATE_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
  }

  /** The session's readings or alerts changed: it goes out with the next tick. */
  markDirty(sessionId: string, organisationId: string): void {
    this.dirty.set(sessionId, organisationId);
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty];
    this.dirty.clear();
    try {
      const due = await this.claimInterval(batch);
      if (due.length > 0) await this.push(due);
    } catch (err) {
      // Nothing is lost: the sessions stay dirty and the next tick tries again.
      this.keepDirty(batch);
      this.logger.warn(
        { event: 'live.update_failed', sessions: batch.length, err: (err as Error).name },
        'live updates postponed',
      );
    }
  }

  private keepDirty(sessions: [string, string][]): void {
    for (const [id, org] of sessions) if (!this.dirty.has(id)) this.dirty.set(id, org);
  }

  /** The sessions no other process has pushed within this interval; the others wait for the next tick. */
  private async claimInterval(batch: [string, string][]): Promise<[string, string][]> {
    const ttl = Math.max(1, Math.floor(this.env.LIVE_UPDATE_INTERVAL_MS * 0.8));
    const pipeline = this.redis.pipeline();
    for (const [id] of batch)
      pipeline.set(`${this.env.REDIS_PREFIX}:live:pushed:${id}`, '1', 'PX', ttl, 'NX');
    const results = (await pipeline.exec()) ?? [];
    const due: [string, string][] = [];
    const later: [string, string][] = [];
    batch.forEach(([id, org], i) => {
      const [err, ok] = results[i] ?? [null, null];
      if (err) throw err;
      (ok === 'OK' ? due : later).push([id, org]);
    });
    this.keepDirty(later);
    return due;
  }

  private async push(due: [string, string][]): Promise<void> {
    const now = Date.now();
    const ids = due.map(([id]) => id);
    const byOrganisation = new Map<string, string[]>();
    for (const [id, org] of due) {
      const cached = this.cards.get(id);
      if (!cached || now - cached.loadedAt > CARD_TTL_MS)
        byOrganisation.set(org, [...(byOrganisation.get(org) ?? []), id]);
    }
    for (const [org, sessionIds] of byOrganisation) {
      for (const card of await loadSessionCards(this.db.manager, org, { sessionIds }))
        this.cards.set(card.sessionId, { card, loadedAt: now });
    }
    for (const [id, c] of this.cards) if (now - c.loadedAt > CARD_TTL_MS * 2) this.cards.delete(id);

    const clocks = (await this.db.query(
      `SELECT id, status, started_at, running_seconds, running_since FROM treatment_sessions WHERE id = ANY($1::uuid[])`,
      [ids],
    )) as ClockRow[];
    const cards: SessionCard[] = [];
    for (const clock of clocks) {
      const cached = this.cards.get(clock.id);
      if (!cached) continue;
      cards.push({
        ...cached.card,
        status: clock.status,
        startedAt: clock.started_at?.toISOString() ?? null,
        runningSeconds: clock.running_seconds,
        runningSince: clock.running_since?.toISOString() ?? null,
      });
    }
    // An ended session's last update came from the API; live keys a late batch wrote are dropped.
    const ended = cards.filter((c) => isFinalSessionStatus(c.status));
    await Promise.all(ended.map((c) => this.store.clear(c.sessionId)));
    ended.forEach((c) => this.cards.delete(c.sessionId));
    const live = cards.filter((c) => !isFinalSessionStatus(c.status));
    if (live.length === 0) return;

    const liveIds = live.map((c) => c.sessionId);
    const [readings, alerts, stamps] = await Promise.all([
      this.store.readings(liveIds),
      loadOpenAlerts(this.db.manager, liveIds),
      Promise.all(liveIds.map((id) => this.store.nextUpdate(id))),
    ]);
    live.forEach((card, i) => {
      const session: LiveSession = {
        ...card,
        latest: readings.get(card.sessionId)?.latest ?? null,
        openAlerts: alerts.filter((a) => a.sessionId === card.sessionId),
        // (epoch, seq): after Redis lost its data a new epoch tells boards to take this at once.
        ...stamps[i]!,
      };
      this.live.to(clinicRoom(card.clinicId)).emit('session.updated', session);
    });
    this.logger.debug(
      { event: 'live.sessions_updated', sessions: live.length },
      'session updates pushed',
    );
  }
}
