import { MAX_TELEMETRY_BATCH, type SimulatedSample, type TelemetrySample } from '@tautline/domain';
import { type Random } from './random';

/**
 * How a device treats the API's answers, as pure rules: what to do with a batch, how long to
 * wait before resending it, and which samples are due. `device-stream.ts` does the I/O.
 */
export type DeliveryOutcome =
  /** 2xx: the batch is the API's now. */
  | 'accepted'
  /** 429: wait Retry-After, then resend the same batch (idempotent by seq). */
  | 'throttled'
  /** Network error, timeout or 5xx: resend with exponential backoff. */
  | 'retry'
  /** Another 4xx: the batch can never succeed; count it, drop it, carry on. */
  | 'rejected'
  /** 401 or 409: the key is revoked or the session is over; this treatment's stream ends. */
  | 'ended';

export function classifyAnswer(status: number | 'network-error'): DeliveryOutcome {
  if (status === 'network-error') return 'retry';
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'retry';
  if (status === 401 || status === 409) return 'ended';
  return 'rejected';
}

const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After in delta-seconds or as an HTTP date; missing or unreadable: 1 s; at most 60 s. */
export function retryAfterMs(header: string | null | undefined, nowMs = Date.now()): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return DEFAULT_RETRY_AFTER_MS;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

export const BACKOFF = { baseMs: 250, maxMs: 10_000 } as const;

/** Exponential backoff with jitter: attempt 0 waits ~250 ms, then ~500 ms, … up to 10 s. */
export function backoffMs(attempt: number, rnd: Random, { baseMs, maxMs } = BACKOFF): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + rnd() / 2));
}

/**
 * Walks a treatment trace in real time: `takeDue(elapsedMs)` hands over the samples whose
 * moment has come (a dropout simply has none), `done` once the trace is exhausted.
 */
export class TraceCursor {
  private readonly iterator: Iterator<SimulatedSample>;
  private next: IteratorResult<SimulatedSample>;

  constructor(trace: Iterable<SimulatedSample>) {
    this.iterator = trace[Symbol.iterator]();
    this.next = this.iterator.next();
  }

  get done(): boolean {
    return this.next.done === true;
  }

  takeDue(elapsedMs: number): TelemetrySample[] {
    const due: TelemetrySample[] = [];
    while (!this.next.done && this.next.value.offsetMs <= elapsedMs) {
      due.push(this.next.value.sample);
      this.next = this.iterator.next();
    }
    return due;
  }
}

/** The next batch to send: the oldest pending samples, at most what the API takes at once. */
export function nextBatch(
  pending: readonly TelemetrySample[],
  max = MAX_TELEMETRY_BATCH,
): TelemetrySample[] {
  return pending.slice(0, max);
}
