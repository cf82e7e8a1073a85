import { type LatestReadings } from '@tautline/domain';
import { type Redis } from 'ioredis';

/** How long live keys outlive their last write: a session nobody streams to is not live any more. */
const LIVE_TTL_SECONDS = 6 * 3_600;

export function liveKeys(prefix: string) {
  return {
    /** The latest readings of a session (JSON LatestReadings). */
    latest: (sessionId: string) => `${prefix}:live:latest:${sessionId}`,
    /** The `updateSeq` of a session's `session.updated` events. */
    updateSeq: (sessionId: string) => `${prefix}:live:seq:${sessionId}`,
    /** The worker's safety-rule state of a session (JSON, the domain's SafetyState). */
    safety: (sessionId: string) => `${prefix}:live:safety:${sessionId}`,
    /** The worker's running summary of a session (JSON, the domain's summary accumulator). */
    summary: (sessionId: string) => `${prefix}:live:summary:${sessionId}`,
    /** When the API last accepted telemetry for a session (ms since epoch): the watchdog reads it. */
    lastReceived: (sessionId: string) => `${prefix}:live:received:${sessionId}`,
    /** A short lock (SET NX PX) held while a process changes a session's safety state and alerts. */
    lock: (sessionId: string) => `${prefix}:live:lock:${sessionId}`,
  };
}

export interface LiveReadings {
  latest: LatestReadings | null;
  updateSeq: number;
}

/**
 * Live session state kept in Redis between telemetry batches. PostgreSQL stays the truth for
 * sessions and alerts; losing this costs the latest readings until the next batch, nothing more.
 */
export class LiveSessionStore {
  private readonly keys: ReturnType<typeof liveKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = liveKeys(prefix);
  }

  async readings(sessionIds: readonly string[]): Promise<Map<string, LiveReadings>> {
    const out = new Map<string, LiveReadings>();
    if (sessionIds.length === 0) return out;
    const values = await this.redis.mget(
      ...sessionIds.flatMap((id) => [this.keys.latest(id), this.keys.updateSeq(id)]),
    );
    sessionIds.forEach((id, i) => {
      const latest = values[i * 2];
      out.set(id, { latest: latest ? (JSON.parse(latest) as LatestReadings) : null, updateSeq: Number(values[i * 2 + 1] ?? 0) });
    });
    return out;
  }

  async writeLatest(sessionId: string, latest: LatestReadings): Promise<void> {
    await this.redis.set(this.keys.latest(sessionId), JSON.stringify(latest), 'EX', LIVE_TTL_SECONDS);
  }

  /** The next `updateSeq` of a session's events (1, 2, …; starts again at 1 after Redis lost it). */
  async nextUpdateSeq(sessionId: string): Promise<number> {
    const key = this.keys.updateSeq(sessionId);
    const [[, seq]] = (await this.redis.multi().incr(key).expire(key, LIVE_TTL_SECONDS).exec()) as [[null, number]];
    return seq;
  }

  async readJson<T>(key: 'safety' | 'summary', sessionId: string): Promise<T | null> {
    const raw = await this.redis.get(this.keys[key](sessionId));
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async writeJson(key: 'safety' | 'summary', sessionId: string, value: unknown): Promise<void> {
    await this.redis.set(this.keys[key](sessionId), JSON.stringify(value), 'EX', LIVE_TTL_SECONDS);
  }

  async markReceived(sessionId: string, at: number): Promise<void> {
    await this.redis.set(this.keys.lastReceived(sessionId), String(at), 'EX', LIVE_TTL_SECONDS);
  }

  /** Last accepted telemetry per session, ms since epoch; null when none (or Redis lost it). */
  async lastReceived(sessionIds: readonly string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    if (sessionIds.length === 0) return out;
    const values = await this.redis.mget(...sessionIds.map((id) => this.keys.lastReceived(id)));
    sessionIds.forEach((id, i) => out.set(id, values[i] ? Number(values[i]) : null));
    return out;
  }

  /** Forgets a finished session's live state. */
  async clear(sessionId: string): Promise<void> {
    await this.redis.unlink(
      this.keys.latest(sessionId),
      this.keys.updateSeq(sessionId),
      this.keys.safety(sessionId),
      this.keys.summary(sessionId),
      this.keys.lastReceived(sessionId),
    );
  }
}
