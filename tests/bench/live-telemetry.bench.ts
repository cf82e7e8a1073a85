// Benchmark (not a test): live e-stim telemetry (issue 5).
// N simulated stimulators stream the domain's realistic trace (`streamTreatment`) at 10 Hz, in a
// batch every BENCH_LIVE_BATCH_MS, timestamped now, each to its own running session, while a
// supervisor's socket.io client on the clinic's room hears `session.updated` and `alert.raised`.
// N ramps up step by step (BENCH_LIVE_STEPS, default 10, 25, 50, 100, 200 … up to
// BENCH_LIVE_MAX_DEVICES) for BENCH_LIVE_STEP_S each, until a step loses samples (accepted with
// 202 but not in `telemetry_samples` after the drain), sees 429s or errors, or its p99 update
// latency passes 2 s. Per step: offered, accepted and stored samples/s, loss, 429s, and latencies
// from a batch's send to the socket receipt of the update carrying its last seq (updates are
// coalesced: each received update against the batch holding its `latest.seq`), and of the
// `alert.raised` of an over-ceiling sample injected at a known moment (BENCH_LIVE_ALERTS a step).
// Measured side: the built api and worker (`startStack`: own database, own Redis prefix), sessions
// booked, checked in, created and started through the API, paused between steps. Baseline, in the
// same run but never at the same time: the same HTTP → Redis → PostgreSQL → socket.io path written
// directly (support/live-baseline.ts), driven and measured by the same code, same steps.
// Run: `pnpm bench` in tests/ (after a build), or `npx tsx bench/live-telemetry.bench.ts`.
// Quick trials: BENCH_LIVE_STEPS=5,10 BENCH_LIVE_STEP_S=8; also BENCH_LIVE_BATCH_MS (500),
// BENCH_LIVE_ALERTS (4 per step), BENCH_LIVE_DRAIN_S (30, the most a step waits to drain).
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type ServerToClientEvents,
} from '@tautline/domain';
import { io, type Socket } from 'socket.io-client';
import { startStack, type Stack } from '../support/stack';
import { type BaselinePipeline, startBaselinePipeline } from './support/live-baseline';
import {
  type LiveSide,
  LiveMeter,
  type LoadSettings,
  runRamp,
  SAMPLE_HZ,
  type StepResult,
} from './support/live-load';
import { pauseSessions, provisionMeasuredSessions, runSessions } from './support/live-setup';
import { heading, ms, runAsScript, table, timed, writeResults } from './support/report';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The worker's coalescing interval, set explicitly so both sides coalesce alike. */
const UPDATE_INTERVAL_MS = 250;
const P99_LIMIT_MS = 2_000;
const LADDER = [10, 25, 50, 100, 200, 400, 800, 1600];

interface Settings extends LoadSettings {
  steps: number[];
  maxDevices: number;
}

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  return n;
}

function settingsFromEnv(): Settings {
  const maxDevices = intFromEnv('BENCH_LIVE_MAX_DEVICES', 200, 1, 2_000);
  const raw = process.env.BENCH_LIVE_STEPS;
  let steps = LADDER.filter((n) => n <= maxDevices);
  if (raw) {
    const listed = raw.split(',').map((part) => Number(part.trim()));
    if (listed.some((n) => !Number.isInteger(n) || n < 1 || n > 2_000))
      throw new Error(`BENCH_LIVE_STEPS must be whole numbers from 1 to 2000, not "${raw}"`);
    steps = [...new Set(listed)].sort((a, b) => a - b).filter((n) => n <= maxDevices);
    if (steps.length < listed.length)
      console.warn(`BENCH_LIVE_STEPS: steps above BENCH_LIVE_MAX_DEVICES (${maxDevices}) dropped`);
  }
  if (steps.length === 0) steps = [maxDevices];
  return {
    steps,
    maxDevices,
    stepS: intFromEnv('BENCH_LIVE_STEP_S', 15, 3, 300),
    batchMs: intFromEnv('BENCH_LIVE_BATCH_MS', 500, 100, 5_000),
    alertsPerStep: intFromEnv('BENCH_LIVE_ALERTS', 4, 0, 50),
    drainS: intFromEnv('BENCH_LIVE_DRAIN_S', 30, 2, 300),
    p99LimitMs: P99_LIMIT_MS,
  };
}

/** Benchmarks talk to this machine only. */
function assertLoopback(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`${what} must be on 127.0.0.1 for this benchmark, not ${host}`);
}

interface SideSummary {
  steps: StepResult[];
  /** The highest step without loss, 429s or errors and with p99 update latency within the limit. */
  sustained: StepResult | null;
  /** Every step passed: the side was not pushed to its limit, so `sustained` is a lower bound. */
  unbroken: boolean;
  setupSeconds: number;
}

function summarise(steps: StepResult[], setupSeconds: number): SideSummary {
  const passed = steps.filter((s) => s.ok);
  return {
    steps,
    sustained: passed[passed.length - 1] ?? null,
    unbroken: steps.length > 0 && passed.length === steps.length,
    setupSeconds,
  };
}

const rate = (x: number) => Math.round(x).toLocaleString('en-GB');
const latency = (d: StepResult['update']) =>
  d.n === 0 ? ['–', '–'] : [ms(d.p50, 0), ms(d.p99, 0)];

function sideTable(steps: StepResult[]): string {
  return table([
    [
      'devices',
      'offered/s',
      'accepted/s',
      'stored/s',
      'drain s',
      'loss',
      '429s',
      'errors',
      'POST p99 ms',
      'update p50 ms',
      'p99 ms',
      'updates',
      'alert p50 ms',
      'p99 ms',
      'alerts',
      'verdict',
    ],
    ...steps.map((r) => [
      r.devices,
      rate(r.offeredPerSecond),
      rate(r.acceptedPerSecond),
      rate(r.storedPerSecond),
      r.drainSeconds === null ? '–' : r.drainSeconds.toFixed(1),
      r.lost,
      r.tooMany,
      r.errors,
      r.post.n === 0 ? '–' : ms(r.post.p99, 0),
      ...latency(r.update),
      r.update.n,
      ...latency(r.alert),
      `${r.alert.n}/${r.alertsInjected}`,
      r.ok ? 'ok' : r.why.join(', '),
    ]),
  ]);
}

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The supervisor's live client, subscribed to the clinic, feeding the meter. */
async function supervisorSocket(stack: Stack, token: string, clinicId: string, meter: LiveMeter) {
  const client: LiveClient = io(`${stack.apiUrl}${LIVE_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('live socket: no connection in 10 s')), 10_000);
    client.on('connect', () => (clearTimeout(timer), resolve()));
    client.on('connect_error', (e) => (clearTimeout(timer), reject(e)));
  });
  const ack = await client
    .timeout(10_000)
    .emitWithAck('clinics.subscribe', { clinicIds: [clinicId] });
  if (!ack.joined.length) throw new Error(`live socket: subscribe refused ${JSON.stringify(ack)}`);
  client.on('session.updated', meter.onUpdate);
  client.on('alert.raised', meter.onAlert);
  return client;
}

async function baselineSide(s: Settings, devices: number): Promise<SideSummary> {
  let pipeline: BaselinePipeline | undefined;
  const setup = await timed(async () => {
    pipeline = await startBaselinePipeline(devices, REDIS_URL, UPDATE_INTERVAL_MS, console.warn);
  });
  try {
    console.log(`baseline: ${devices} running sessions set up in ${ms(setup.ms / 1000)} s`);
    const steps = await runRamp(pipeline!.side, s.steps, s, console.log);
    if (pipeline!.failures() > 0) console.warn(`baseline: ${pipeline!.failures()} rounds failed`);
    return summarise(steps, setup.ms / 1000);
  } finally {
    await pipeline!.stop();
  }
}

async function measuredSide(
  s: Settings,
  devices: number,
): Promise<SideSummary & { output: string }> {
  const stack = await startStack('bench-live', {
    env: {
      LIVE_UPDATE_INTERVAL_MS: String(UPDATE_INTERVAL_MS),
      // Sign-ins must outlive the run (the live socket is dropped when its token expires).
      JWT_TTL_SECONDS: '7200',
    },
  });
  let socket: LiveClient | undefined;
  try {
    assertLoopback(stack.apiUrl, 'the api');
    assertLoopback(stack.databaseUrl, 'the stack database');
    const setup = await timed(() => provisionMeasuredSessions(stack, devices));
    const m = setup.value;
    console.log(`measured: ${devices} sessions set up through the API in ${ms(setup.ms / 1000)} s`);
    const meter = new LiveMeter();
    socket = await supervisorSocket(stack, m.clients.supervisor.token, m.clinicId, meter);
    const side: LiveSide = {
      label: 'measured',
      telemetryUrl: new URL(`${stack.apiUrl}/api/v1/telemetry`),
      devices: m.devices,
      meter,
      beforeLoad: (d) => runSessions(m, d),
      afterLoad: (d) => pauseSessions(m, d),
      storedCount: async () =>
        (
          (await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM telemetry_samples`)) as {
            n: number;
          }[]
        )[0]!.n,
    };
    const steps = await runRamp(side, s.steps, s, console.log);
    return { ...summarise(steps, setup.ms / 1000), output: stack.output() };
  } catch (e) {
    console.error(stack.output().split('\n').slice(-30).join('\n'));
    throw e;
  } finally {
    socket?.disconnect();
    await stack.stop();
  }
}

/** Measured ÷ baseline, or null where either is missing. */
const ratio = (m: number | undefined, b: number | undefined) =>
  m === undefined || b === undefined || !Number.isFinite(m) || !Number.isFinite(b) || b === 0
    ? null
    : m / b;
const times = (r: number | null, digits = 2) => (r === null ? '–' : `×${r.toFixed(digits)}`);

export async function liveTelemetryBench(): Promise<void> {
  const started = Date.now();
  const s = settingsFromEnv();
  const devices = Math.max(...s.steps);
  heading(
    `Live telemetry: steps of ${s.steps.join(', ')} devices × ${s.stepS} s, ${SAMPLE_HZ} Hz in batches every ` +
      `${s.batchMs} ms, ${s.alertsPerStep} over-ceiling samples a step; the built api + worker against a ` +
      `minimal pipeline (node:http → Redis list → evaluateSamples → INSERT → socket.io)`,
  );
  assertLoopback(REDIS_URL, 'REDIS_URL');

  // One after the other, never at the same time: the baseline first, before the stack exists.
  const baseline = await baselineSide(s, devices);
  const measured = await measuredSide(s, devices);

  for (const [name, side] of [
    ['measured: built api + worker (Nest, BullMQ)', measured],
    ['baseline: node:http → LPUSH/BRPOP → evaluateSamples → INSERT → socket.io emitter', baseline],
  ] as const) {
    console.log(`\n${name}`);
    console.log(sideTable(side.steps));
  }

  const sustainedOf = (side: SideSummary) => side.sustained?.acceptedPerSecond;
  const common = measured.steps
    .filter((m) => m.ok)
    .map((m) => ({ m, b: baseline.steps.find((b) => b.devices === m.devices && b.ok) }))
    .filter((x): x is { m: StepResult; b: StepResult } => x.b !== undefined);
  const top = common[common.length - 1];
  const ratios = {
    sustained: ratio(sustainedOf(measured), sustainedOf(baseline)),
    atDevices: top?.m.devices ?? null,
    p99Update: ratio(top?.m.update.p99, top?.b.update.p99),
    p99Alert: ratio(top?.m.alert.p99, top?.b.alert.p99),
    p50Update: ratio(top?.m.update.p50, top?.b.update.p50),
    perStep: common.map(({ m, b }) => ({
      devices: m.devices,
      p99Update: ratio(m.update.p99, b.update.p99),
      p99Alert: ratio(m.alert.p99, b.alert.p99),
    })),
  };
  const sustainedText = (side: SideSummary) =>
    side.sustained
      ? `${side.unbroken ? '≥ ' : ''}${rate(side.sustained.acceptedPerSecond)} samples/s (${side.sustained.devices} devices)`
      : 'none';
  console.log(
    `\nMeasured ÷ baseline: sustained ${sustainedText(measured)} ÷ ${sustainedText(baseline)} = ` +
      `${baseline.unbroken && !measured.unbroken ? '≤ ' : ''}${times(ratios.sustained)}` +
      `${baseline.unbroken && measured.unbroken ? ' (neither side reached its limit)' : ''}; ` +
      (top
        ? `at ${top.m.devices} devices (the highest step both sustained) p99 update ` +
          `${ms(top.m.update.p99, 0)} ÷ ${ms(top.b.update.p99, 0)} ms = ${times(ratios.p99Update, 1)}, ` +
          `p99 alert ${ms(top.m.alert.p99, 0)} ÷ ${ms(top.b.alert.p99, 0)} ms = ${times(ratios.p99Alert, 1)}.`
        : 'no step both sustained, so no latency ratio.'),
  );
  if (baseline.unbroken || measured.unbroken)
    console.log(
      `≥: that side passed every step up to ${devices} devices, so its limit lies beyond ` +
        `(raise BENCH_LIVE_MAX_DEVICES to find it).`,
    );
  console.log(
    `Sustained = accepted samples/s of the highest step with no loss, no 429s or errors and p99 update ≤ ` +
      `${P99_LIMIT_MS / 1000} s. stored/s = stored while the load ran; drain = from the end of the load ` +
      `until every accepted sample was stored. Update latency: a batch's send → the first session.updated ` +
      `whose latest.seq is in it (coalesced every ${UPDATE_INTERVAL_MS} ms on both sides); alert: send of the ` +
      `batch ending in an over-ceiling sample → its alert.raised; POST: the device's request round trip. The baseline runs in this process, with ` +
      `the load generator. Setup: baseline ${ms(baseline.setupSeconds)} s (SQL), measured ` +
      `${ms(measured.setupSeconds)} s (API).`,
  );
  const others = [...measured.steps, ...baseline.steps].filter(
    (r) => Object.keys(r.otherAlerts).length > 0 || r.alertsMissed > 0 || r.alertsRefused > 0,
  );
  for (const r of others)
    console.log(
      `note: ${measured.steps.includes(r) ? 'measured' : 'baseline'} ${r.devices} devices: ` +
        `${r.alertsMissed} spikes without alert.raised, ${r.alertsRefused} refused, other alerts ` +
        `${JSON.stringify(r.otherAlerts)}${r.errors ? `, error statuses ${JSON.stringify(r.errorStatuses)}` : ''}`,
    );
  const workerLines = measured.output
    .split('\n')
    .filter((l) => l.trim() !== '' && !/api listening|worker running/.test(l));
  if (workerLines.length > 0)
    console.log(
      `The api and worker printed ${workerLines.length} lines at warn or above; the first:\n` +
        workerLines.slice(0, 5).join('\n'),
    );

  const { output: _output, ...measuredResult } = measured;
  const file = writeResults('live-telemetry', {
    settings: { ...s, updateIntervalMs: UPDATE_INTERVAL_MS, sampleHz: SAMPLE_HZ },
    measured: measuredResult,
    baseline,
    ratios,
    notes: {
      baselineDatabase:
        'createTestDatabase (migrated): the real telemetry_samples and alerts tables with their foreign keys, ' +
        'plus the minimum rows they need (organisation, clinic, rooms, practitioners, patients, appointments, ' +
        'devices, running treatment sessions)',
      baselineSocket:
        'createLiveEmitter (@socket.io/redis-emitter, as the worker) to the worker’s LiveObserver test server ' +
        '(plain socket.io + @socket.io/redis-adapter): socket.io is not a dependency of tests/',
      baselineProcess:
        'runs in the benchmark process, sharing its event loop with the load generator',
    },
    apiWorkerOutputLines: workerLines.length,
    seconds: (Date.now() - started) / 1000,
  });
  console.log(
    `\nlive-telemetry: ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${file}`,
  );
}

if (require.main === module) runAsScript(liveTelemetryBench);
