import {
  MAX_TELEMETRY_BATCH,
  type SimulatedFaultKind,
  type SimulatedSample,
  type TelemetrySample,
} from '@tautline/domain';
import { fetchFailure, sleep } from './api-client';
import {
  backoffMs,
  classifyAnswer,
  type DeliveryOutcome,
  nextBatch,
  retryAfterMs,
  TraceCursor,
} from './delivery-policy';
import { type ProgressReporter, type SimulatorStats } from './progress';
import { type Random } from './random';

export interface DeviceStreamOptions {
  apiUrl: string;
  key: string;
  /** Shown in messages, e.g. "Sim room 03 (London Bridge)". */
  label: string;
  trace: Iterable<SimulatedSample>;
  /** Epoch ms of the trace's first sample. */
  startAtMs: number;
  /** How long the trace lasts: a device in dropout at the end stays silent until then. */
  durationMs: number;
  batchMs: number;
  /** When faults show in the trace, to count them as injected. */
  faultMarks: readonly { kind: SimulatedFaultKind; offsetMs: number }[];
  stats: SimulatorStats;
  reporter: ProgressReporter;
  rnd: Random;
}

/** How a treatment's stream ended: trace done, run stopped, or the API said the session is over. */
export type StreamEnd = 'finished' | 'stopped' | 'ended';

const POST_TIMEOUT_MS = 10_000;
/** After the stop signal a device gets this long to hand over what it measured. */
const FINAL_FLUSH_MS = 3000;

interface Answer {
  status: number | 'network-error';
  retryAfter: string | null;
  body:
    | {
        accepted?: number;
        title?: string;
        detail?: string;
        errors?: { field: string; message: string }[];
      }
    | undefined;
  error?: string;
}

async function postBatch(
  apiUrl: string,
  key: string,
  samples: TelemetrySample[],
  timeoutMs: number,
): Promise<Answer> {
  try {
    const res = await fetch(`${apiUrl}/api/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Device ${key}` },
      body: JSON.stringify({ samples }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: Answer['body'];
    try {
      body = text ? (JSON.parse(text) as Answer['body']) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  } catch (error) {
    return {
      status: 'network-error',
      retryAfter: null,
      body: undefined,
      error: fetchFailure(error),
    };
  }
}

/**
 * One stimulator streaming one treatment in real time: every `batchMs` it sends the samples
 * measured since the last batch. A 429 is waited out (Retry-After) and the same batch resent;
 * network errors and 5xx are retried with backoff; another 4xx drops the batch and counts an
 * error; 401/409 (key revoked, session over) end the stream.
 */
export async function streamDevice(
  o: DeviceStreamOptions,
  signal: AbortSignal,
): Promise<StreamEnd> {
  const cursor = new TraceCursor(o.trace);
  const pending: TelemetrySample[] = [];
  const marks = [...o.faultMarks].sort((a, b) => a.offsetMs - b.offsetMs);
  let nextMark = 0;
  let sentUpToSeq = -1;

  const collect = () => {
    const elapsed = Date.now() - o.startAtMs;
    pending.push(...cursor.takeDue(elapsed));
    while (nextMark < marks.length && marks[nextMark]!.offsetMs <= elapsed) {
      o.stats.faults[marks[nextMark]!.kind] += 1;
      nextMark++;
    }
  };

  /** Sends one batch until it is accepted or cannot be; resends are the same samples. */
  const deliver = async (
    batch: TelemetrySample[],
    stopping: AbortSignal,
    timeoutMs = POST_TIMEOUT_MS,
  ): Promise<DeliveryOutcome> => {
    // A resent batch (after a 429, say) counts as sent once.
    o.stats.samplesSent += batch.filter((s) => s.seq > sentUpToSeq).length;
    sentUpToSeq = Math.max(sentUpToSeq, batch[batch.length - 1]?.seq ?? -1);
    for (let attempt = 0; ; attempt++) {
      const answer = await postBatch(o.apiUrl, o.key, batch, timeoutMs);
      const outcome = classifyAnswer(answer.status);
      switch (outcome) {
        case 'accepted':
          o.stats.samplesAccepted += answer.body?.accepted ?? batch.length;
          o.stats.batchesAccepted += 1;
          return outcome;
        case 'throttled':
          o.stats.throttled += 1;
          await sleep(retryAfterMs(answer.retryAfter), stopping);
          break;
        case 'retry':
          o.stats.retries += 1;
          o.reporter.once(
            `telemetry-${answer.status}`,
            `telemetry ${answer.status === 'network-error' ? `network error (${answer.error})` : `answered ${answer.status}`}; retrying with backoff`,
          );
          await sleep(backoffMs(attempt, o.rnd), stopping);
          break;
        default: {
          o.stats.errors += 1;
          const problem = answer.body;
          const fields = problem?.errors?.map((e) => `${e.field} ${e.message}`).join('; ');
          o.reporter.once(
            `telemetry-${answer.status}-${problem?.title ?? ''}`,
            `telemetry of ${o.label} answered ${answer.status} ${problem?.title ?? ''}: ${problem?.detail ?? ''}${fields ? ` (${fields})` : ''}`,
          );
          return outcome;
        }
      }
      if (stopping.aborted) return 'retry';
    }
  };

  // Devices start at different moments within a batch interval, as real ones would.
  await sleep(Math.floor(o.rnd() * o.batchMs), signal);
  while (!signal.aborted) {
    const tickAt = Date.now();
    collect();
    if (pending.length === 0 && cursor.done && tickAt - o.startAtMs >= o.durationMs)
      return 'finished';
    while (pending.length > 0 && !signal.aborted) {
      const batch = nextBatch(pending);
      const outcome = await deliver(batch, signal);
      if (outcome === 'retry') break; // stopping while waiting to resend: the final flush tries once more
      pending.splice(0, batch.length);
      if (outcome === 'ended') return 'ended';
      collect();
      if (pending.length < MAX_TELEMETRY_BATCH) break; // caught up: wait for the next tick
    }
    await sleep(Math.max(0, o.batchMs - (Date.now() - tickAt)), signal);
  }
  // Stopping: hand over what was measured until now, once, briefly.
  collect();
  if (pending.length > 0) {
    await deliver(nextBatch(pending), AbortSignal.timeout(FINAL_FLUSH_MS), FINAL_FLUSH_MS);
  }
  return 'stopped';
}
