// The device load and the measurements shared by both sides of the live telemetry benchmark:
// simulated stimulators streaming the domain's realistic trace at 10 Hz in batches, one request at
// a time per device (as a device on one connection does), over-ceiling samples injected at known
// moments, and the latency from a batch's send to the socket.io event that shows it.
import {
  type AlertEvent,
  type LiveSession,
  MAX_TELEMETRY_BATCH,
  type SessionPlan,
  streamTreatment,
  type TelemetrySample,
} from '@tautline/domain';
import http from 'node:http';
import { distribution, type Distribution } from './report';

export const SAMPLE_HZ = 10;
/** A request that has not answered by then counts as an error. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A session is spiked again only this long after its last spike (the alert must have resolved). */
const RESPIKE_AFTER_MS = 6_000;
/** No spike this close to the end of a step: clean samples must follow so the alert resolves. */
const SPIKE_MARGIN_MS = 3_000;

const sleep = (msecs: number) => new Promise((r) => setTimeout(r, msecs));

/** One simulated stimulator with its running session. */
export interface LiveDevice {
  sessionId: string;
  deviceKey: string;
  plan: SessionPlan;
  seed: number;
  /** The next seq it sends: increases across steps, as a real device's does. */
  nextSeq: number;
  /** When it last sent a spike (epoch ms). */
  lastSpikeAt: number;
}

/** What a side offers the load: where devices post, and the pipeline's hooks around a step. */
export interface LiveSide {
  label: string;
  telemetryUrl: URL;
  devices: LiveDevice[];
  meter: LiveMeter;
  /** Before the load of a step on the first `devices` (the measured side starts or resumes them). */
  beforeLoad(devices: readonly LiveDevice[]): Promise<void>;
  /** Right after the load of a step (the measured side pauses them, so silence is no alarm). */
  afterLoad(devices: readonly LiveDevice[]): Promise<void>;
  /** Rows in `telemetry_samples`. */
  storedCount(): Promise<number>;
}

export interface LoadSettings {
  stepS: number;
  batchMs: number;
  alertsPerStep: number;
  drainS: number;
  p99LimitMs: number;
}

export interface StepResult {
  devices: number;
  seconds: number;
  requests: number;
  sent: number;
  accepted: number;
  /** Stored while the load ran (before any drain). */
  storedInWindow: number;
  /** Stored once the pipeline had drained (or the drain limit passed). */
  stored: number;
  /** Accepted (202) but not stored after the drain: lost. */
  lost: number;
  tooMany: number;
  errors: number;
  errorStatuses: Record<string, number>;
  offeredPerSecond: number;
  acceptedPerSecond: number;
  storedPerSecond: number;
  /** From the end of the load until every accepted sample was stored; null if that never happened. */
  drainSeconds: number | null;
  /** Device send of the batch holding `latest.seq` → receipt of that `session.updated`, ms. */
  update: Distribution;
  /** Round trip of the telemetry POSTs (send → answer), ms. */
  post: Distribution;
  /** Device send of the batch holding an over-ceiling sample → receipt of its `alert.raised`, ms. */
  alert: Distribution;
  alertsInjected: number;
  alertsMissed: number;
  alertsRefused: number;
  /** Other alerts the clinic heard during the step, by kind (none expected from the clean trace). */
  otherAlerts: Record<string, number>;
  ok: boolean;
  why: string[];
}

interface DeviceRun {
  device: LiveDevice;
  /** seq → when the batch holding it was sent. */
  sentAt: Map<number, number>;
  /** The newest `latest.seq` already measured: each is measured once, at its first receipt. */
  measuredUpTo: number;
  spikeRequested: boolean;
}

/** The running step's tallies; the socket listeners feed it through `LiveMeter`. */
class StepRecorder {
  readonly runs = new Map<string, DeviceRun>();
  readonly updates: number[] = [];
  readonly alerts: number[] = [];
  /** Round trip of each telemetry POST, ms. */
  readonly posts: number[] = [];
  /** sessionId → send time of its spike still waiting for `alert.raised`. */
  readonly spikes = new Map<string, number>();
  readonly otherAlerts: Record<string, number> = {};
  requests = 0;
  sent = 0;
  accepted = 0;
  tooMany = 0;
  errors = 0;
  readonly errorStatuses: Record<string, number> = {};
  alertsInjected = 0;
  alertsRefused = 0;

  constructor(devices: readonly LiveDevice[]) {
    for (const device of devices)
      this.runs.set(device.sessionId, {
        device,
        sentAt: new Map(),
        measuredUpTo: -1,
        spikeRequested: false,
      });
  }

  update(session: LiveSession, at: number): void {
    const run = this.runs.get(session.sessionId);
    const seq = session.latest?.seq;
    if (!run || seq === undefined || seq <= run.measuredUpTo) return;
    const sentAt = run.sentAt.get(seq);
    if (sentAt === undefined) return; // a seq of an earlier step (e.g. the update a resume pushes)
    run.measuredUpTo = seq;
    this.updates.push(at - sentAt);
  }

  alert(event: AlertEvent, at: number): void {
    const { kind, sessionId } = event.alert;
    if (sessionId === null) return; // a clinic-level alert (monitoring degraded): no spike of a session
    const sentAt = this.spikes.get(sessionId);
    if (kind === 'intensity_over_ceiling' && sentAt !== undefined) {
      this.spikes.delete(sessionId);
      this.alerts.push(at - sentAt);
      return;
    }
    this.otherAlerts[kind] = (this.otherAlerts[kind] ?? 0) + 1;
  }
}

/** Receives a side's socket events (wire `session.updated` and `alert.raised` to it) for the step running. */
export class LiveMeter {
  current: StepRecorder | null = null;
  onUpdate = (session: LiveSession): void => this.current?.update(session, Date.now());
  onAlert = (event: AlertEvent): void => this.current?.alert(event, Date.now());
}

/** POST through a keep-alive agent; answers the status, 0 for a network error or timeout. */
function post(agent: http.Agent, url: URL, deviceKey: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Device ${deviceKey}`,
        },
      },
      (res) => {
        res.on('error', () => resolve(0));
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** The intensity of a spike on the plan's first channel: above its ceiling, below the device limit. */
function spikeOf(plan: SessionPlan): { channel: number; ma: number } {
  const first = plan.channels[0]!;
  return { channel: first.channel, ma: Math.round(first.intensityCeilingMa * 1.25 * 10) / 10 };
}

/** One device for one step: the trace from now, sent every `batchMs` (or as soon as the last answer came). */
async function runDevice(
  run: DeviceRun,
  rec: StepRecorder,
  side: LiveSide,
  agent: http.Agent,
  window: { startsAt: number; endsAt: number; step: number },
  s: LoadSettings,
): Promise<void> {
  const device = run.device;
  const startMs = Math.round(window.startsAt + Math.random() * s.batchMs);
  const trace = streamTreatment({
    plan: device.plan,
    hz: SAMPLE_HZ,
    durationSeconds: s.stepS + 2,
    seed: device.seed * 1_000 + window.step,
    startAt: new Date(startMs).toISOString(),
    startSeq: device.nextSeq,
  });
  let next = trace.next();
  let nextAt = startMs + s.batchMs;
  const spike = spikeOf(device.plan);
  for (;;) {
    const wait = Math.min(nextAt, window.endsAt) - Date.now();
    if (wait > 0) await sleep(wait);
    const until = Math.min(Date.now(), window.endsAt);
    const batch: TelemetrySample[] = [];
    while (
      !next.done &&
      startMs + next.value.offsetMs <= until &&
      batch.length < MAX_TELEMETRY_BATCH
    ) {
      batch.push(next.value.sample);
      next = trace.next();
    }
    if (batch.length > 0) {
      const spiked = run.spikeRequested;
      if (spiked) {
        run.spikeRequested = false;
        const reading = batch[batch.length - 1]!.channels.find((c) => c.channel === spike.channel);
        if (reading) reading.intensityMa = spike.ma;
      }
      const body = JSON.stringify({ samples: batch });
      const sentAt = Date.now();
      for (const sample of batch) run.sentAt.set(sample.seq, sentAt);
      device.nextSeq = batch[batch.length - 1]!.seq + 1;
      if (spiked) {
        rec.spikes.set(device.sessionId, sentAt);
        device.lastSpikeAt = sentAt;
        rec.alertsInjected++;
      }
      rec.requests++;
      rec.sent += batch.length;
      const status = await post(agent, side.telemetryUrl, device.deviceKey, body);
      rec.posts.push(Date.now() - sentAt);
      if (status === 202) rec.accepted += batch.length;
      else {
        if (status === 429) rec.tooMany++;
        else {
          rec.errors++;
          rec.errorStatuses[String(status)] = (rec.errorStatuses[String(status)] ?? 0) + 1;
        }
        if (spiked && rec.spikes.delete(device.sessionId)) rec.alertsRefused++;
      }
    }
    const more = !next.done && startMs + next.value.offsetMs <= window.endsAt;
    if (Date.now() >= window.endsAt && !more) return;
    nextAt = Math.max(nextAt + s.batchMs, Date.now());
  }
}

/** Asks `count` devices, at evenly spread moments of the step, to make their next batch end with a spike. */
function scheduleSpikes(
  rec: StepRecorder,
  window: { startsAt: number; endsAt: number },
  count: number,
  cursor: { next: number },
): NodeJS.Timeout[] {
  const runs = [...rec.runs.values()];
  const span = window.endsAt - SPIKE_MARGIN_MS - window.startsAt;
  if (span <= 0 || runs.length === 0) return [];
  return Array.from({ length: count }, (_, i) =>
    setTimeout(
      () => {
        for (let tried = 0; tried < runs.length; tried++) {
          const run = runs[cursor.next++ % runs.length]!;
          const { sessionId, lastSpikeAt } = run.device;
          if (run.spikeRequested || rec.spikes.has(sessionId)) continue;
          if (Date.now() - lastSpikeAt < RESPIKE_AFTER_MS) continue;
          run.spikeRequested = true;
          return;
        }
      },
      Math.round(((i + 1) * span) / (count + 1)),
    ),
  );
}

/**
 * One step: `devices` stream for `stepS`, then the pipeline drains; loss is what was accepted (202)
 * and is not in `telemetry_samples` once it drained (or the drain limit passed).
 */
export async function runStep(
  side: LiveSide,
  count: number,
  step: number,
  s: LoadSettings,
  spikeCursor: { next: number },
): Promise<StepResult> {
  const devices = side.devices.slice(0, count);
  await side.beforeLoad(devices);
  const rec = new StepRecorder(devices);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const storedBefore = await side.storedCount();
  side.meter.current = rec;
  const startsAt = Date.now() + 50;
  const window = { startsAt, endsAt: startsAt + s.stepS * 1000, step };
  const timers = scheduleSpikes(rec, window, s.alertsPerStep, spikeCursor);
  try {
    await Promise.all(
      [...rec.runs.values()].map((run) => runDevice(run, rec, side, agent, window, s)),
    );
  } finally {
    timers.forEach(clearTimeout);
  }
  const loadEnded = Date.now();
  const storedInWindow = (await side.storedCount()) - storedBefore;
  await side.afterLoad(devices);

  // Drain: until everything accepted is stored, nothing moved for 5 s, or the limit.
  let stored = (await side.storedCount()) - storedBefore;
  let drainSeconds: number | null = stored >= rec.accepted ? (Date.now() - loadEnded) / 1000 : null;
  let lastMove = Date.now();
  const drainLimit = loadEnded + s.drainS * 1000;
  while (drainSeconds === null && Date.now() < drainLimit && Date.now() - lastMove < 5_000) {
    await sleep(200);
    const now = (await side.storedCount()) - storedBefore;
    if (now !== stored) lastMove = Date.now();
    stored = now;
    if (stored >= rec.accepted) drainSeconds = (Date.now() - loadEnded) / 1000;
  }
  // The last coalesced updates and any late alert.
  const settleUntil = Date.now() + 1_500;
  while (Date.now() < settleUntil && rec.spikes.size > 0) await sleep(50);
  await sleep(Math.max(0, settleUntil - Date.now()));
  side.meter.current = null;
  agent.destroy();

  const update = distribution(rec.updates);
  const alert = distribution(rec.alerts);
  const lost = Math.max(0, rec.accepted - stored);
  const why: string[] = [];
  if (lost > 0) why.push(`${lost} lost`);
  if (rec.tooMany > 0) why.push(`${rec.tooMany}× 429`);
  if (rec.errors > 0) why.push(`${rec.errors} errors`);
  if (update.n === 0) why.push('no updates');
  else if (update.p99 > s.p99LimitMs) why.push(`p99 > ${s.p99LimitMs / 1000} s`);
  return {
    devices: count,
    seconds: s.stepS,
    requests: rec.requests,
    sent: rec.sent,
    accepted: rec.accepted,
    storedInWindow,
    stored,
    lost,
    tooMany: rec.tooMany,
    errors: rec.errors,
    errorStatuses: rec.errorStatuses,
    offeredPerSecond: rec.sent / s.stepS,
    acceptedPerSecond: rec.accepted / s.stepS,
    storedPerSecond: storedInWindow / s.stepS,
    drainSeconds,
    post: distribution(rec.posts),
    update,
    alert,
    alertsInjected: rec.alertsInjected,
    alertsMissed: rec.spikes.size,
    alertsRefused: rec.alertsRefused,
    otherAlerts: rec.otherAlerts,
    ok: why.length === 0,
    why,
  };
}

/** Steps in order until one breaks (loss, 429s, errors, or p99 update latency over the limit). */
export async function runRamp(
  side: LiveSide,
  steps: readonly number[],
  s: LoadSettings,
  log: (line: string) => void,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const cursor = { next: 0 };
  for (const [i, count] of steps.entries()) {
    const r = await runStep(side, count, i + 1, s, cursor);
    results.push(r);
    log(
      `  ${side.label}: ${count} devices, ${Math.round(r.acceptedPerSecond)} samples/s accepted, ` +
        `update p99 ${Math.round(r.update.p99)} ms${r.ok ? '' : ` — stops: ${r.why.join(', ')}`}`,
    );
    if (!r.ok) break;
  }
  return results;
}

/** Runs `fn` over `items`, at most `concurrency` at a time, in order of start. */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}
