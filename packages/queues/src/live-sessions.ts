import { type LatestReadings, type UpdateStamp } from '@tautline/domain';
import { type Redis } from 'ioredis';

/** How long live keys outlive their last write: a session nobody streams to is not live any more. */
const LIVE_TTL_SECONDS = 6 * 3_600;

export function liveKeys(prefix: string) {
  return {
    /** The latest readings of a session (JSON LatestReadings). */
    latest: (sessionId: string) => `${prefix}:live:latest:${sessionId}`,
    /** The `(updateEpoch, updateSeq)` of a session's `session.updated` events (a hash: epoch, seq). */
    updates: (sessionId: string) => `${prefix}:live:updates:${sessionId}`,
    /** The worker's safety-rule state of a session (JSON, the domain's SafetyState). */
    safety: (sessionId: string) => `${prefix}:live:safety:${sessionId}`,
    /** The worker's running summary of a session (JSON, the domain's summary accumulator). */
    summary: (sessionId: string) => `${prefix}:live:summary:${sessionId}`,
    /** When the API last accepted telemetry for a session (ms since epoch): the watchdog reads it. */
    lastReceived: (sessionId: string) => `${prefix}:live:received:${sessionId}`,
    /** When the API last answered a session's device 429 (ms, Redis clock): alive, but refused. */
    lastThrottled: (sessionId: string) => `${prefix}:live:throttled:${sessionId}`,
    /** A short lock (SET NX PX) held while a process changes a session's safety state and alerts. */
    lock: (sessionId: string) => `${prefix}:live:lock:${sessionId}`,
  };
}

export interface LiveReadings {
  latest: LatestReadings | null;
}

/**
 * Adds ARGV[1] to a session's `updateSeq` and answers `{epoch, seq}`. The epoch is created with the
 * counter, from Redis's own clock (ms), so a counter Redis lost comes back under a later epoch and
 * clients order `(epoch, seq)` across the loss; one script keeps two processes from making two epochs.
 */
const UPDATE_STAMP_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  local t = redis.call('TIME')
  epoch = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {epoch, seq}`;

type StampingRedis = Redis & {
  liveUpdateStamp(key: string, increment: number, ttl: number): Promise<[string, number]>;
};

/**
 * Sets KEYS[1] to Redis's own clock (ms) for ARGV[1] seconds: every "heard at" is stamped by one
 * clock and the watchdog reads "now" from the same one, so no two hosts' clocks are compared.
 */
const CLOCK_STAMP_SCRIPT = `
local t = redis.call('TIME')
local ms = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
redis.call('SET', KEYS[1], ms, 'EX', ARGV[1])
return ms`;

type ClockStampingRedis = Redis & { liveClockStamp(key: string, ttl: number): Promise<string> };

/** Redis's clock in ms (`TIME`): the one clock of "heard at" stamps and the watchdog's "now". */
export async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
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
    const values = await this.redis.mget(...sessionIds.map((id) => this.keys.latest(id)));
    sessionIds.forEach((id, i) => {
      const latest = values[i];
      out.set(id, { latest: latest ? (JSON.parse(latest) as LatestReadings) : null });
    });
    return out;
  }

  async writeLatest(sessionId: string, latest: LatestReadings): Promise<void> {
    await this.redis.set(
      this.keys.latest(sessionId),
      JSON.stringify(latest),
      'EX',
      LIVE_TTL_SECONDS,
    );
  }

  /** The stamp of a session's next event: seq 1, 2, … within an epoch; a new epoch from 1 after Redis lost it. */
  nextUpdate(sessionId: string): Promise<UpdateStamp> {
    return this.stamp(sessionId, 1);
  }

  /** Where each session's events stand now, for a snapshot (an epoch is started if Redis has none). */
  async currentUpdates(sessionIds: readonly string[]): Promise<Map<string, UpdateStamp>> {
    const stamps = await Promise.all(sessionIds.map((id) => this.stamp(id, 0)));
    return new Map(sessionIds.map((id, i) => [id, stamps[i]!]));
  }

  private async stamp(sessionId: string, increment: 0 | 1): Promise<UpdateStamp> {
    const redis = this.redis as StampingRedis;
    if (typeof redis.liveUpdateStamp !== 'function')
      redis.defineCommand('liveUpdateStamp', { numberOfKeys: 1, lua: UPDATE_STAMP_SCRIPT });
    const [epoch, seq] = await redis.liveUpdateStamp(
      this.keys.updates(sessionId),
      increment,
      LIVE_TTL_SECONDS,
    );
    return { updateEpoch: Number(epoch), updateSeq: Number(seq) };
  }

  async readJson<T>(key: 'safety' | 'summary', sessionId: string): Promise<T | null> {
    const raw = await this.redis.get(this.keys[key](sessionId));
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async writeJson(key: 'safety' | 'summary', sessionId: string, value: unknown): Promise<void> {
    await this.redis.set(this.keys[key](sessionId), JSON.stringify(value), 'EX', LIVE_TTL_SECONDS);
  }

  /** Telemetry of a session was accepted now (Redis clock). */
  async markReceived(sessionId: string): Promise<void> {
    await this.clockStamp(this.keys.lastReceived(sessionId));
  }

  /** A session's device was answered 429 now (Redis clock): one round trip, on the refusal path only. */
  async markThrottled(sessionId: string): Promise<void> {
    await this.clockStamp(this.keys.lastThrottled(sessionId));
  }

  /** Last refusal (429) per session, ms on the Redis clock; null when none. */
  async lastThrottled(sessionIds: readonly string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    if (sessionIds.length === 0) return out;
    const values = await this.redis.mget(...sessionIds.map((id) => this.keys.lastThrottled(id)));
    sessionIds.forEach((id, i) => out.set(id, values[i] ? Number(values[i]) : null));
    return out;
  }

  private async clockStamp(key: string): Promise<void> {
    const redis = this.redis as ClockStampingRedis;
    if (typeof redis.liveClockStamp !== 'function')
      redis.defineCommand('liveClockStamp', { numberOfKeys: 1, lua: CLOCK_STAMP_SCRIPT });
    await redis.liveClockStamp(key, LIVE_TTL_SECONDS);
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
      this.keys.updates(sessionId),
      this.keys.safety(sessionId),
      this.keys.summary(sessionId),
      this.keys.lastReceived(sessionId),
      this.keys.lastThrottled(sessionId),
    );
  }
}
