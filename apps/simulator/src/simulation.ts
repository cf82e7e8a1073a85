import { streamTreatment } from '@tautline/domain';
import { setMaxListeners } from 'node:events';
import { ApiClient, sleep } from './api-client';
import { type SimulatorOptions } from './cli-options';
import { readDeviceKeys } from './device-keys';
import { streamDevice, type StreamEnd } from './device-stream';
import {
  designTreatment,
  faultMarks,
  type ScheduledFault,
  scheduleFaults,
  traceFaults,
  type TreatmentDesign,
} from './fault-schedule';
import { type ProgressReporter, type SimulatorStats } from './progress';
import { Provisioner, type Treatment } from './provisioning';
import { mixSeed, seededRandom } from './random';
import { simulatedPlan } from './session-plan';

export interface SimulationInput {
  options: SimulatorOptions;
  stats: SimulatorStats;
  reporter: ProgressReporter;
  /** Aborted when the run is over (its duration, SIGINT, SIGTERM). */
  signal: AbortSignal;
  runStartMs: number;
}

/** A treatment shorter than this is not worth setting up at the end of a run. */
const MIN_TREATMENT_MS = 2_000;
/** Set-ups running at once: enough to start 50 devices in seconds, gentle on the API. */
const SETUP_CONCURRENCY = 4;
const STOP_CONCURRENCY = 8;
/** A device gives up this many set-ups in a row when no session of the run ever started. */
const FIRST_SETUP_ATTEMPTS = 3;

function limiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    while (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * A whole run. Provisioned (the default): each simulated device goes through treatments one
 * after another until the run ends — set up, streamed, stopped — each in a Sim room free for its
 * appointment, so a long demo stays alive. With `--keys`: one stream per key, nothing set up.
 */
export async function runSimulation(input: SimulationInput): Promise<void> {
  const { options, stats } = input;
  if (options.keysFile) {
    const devices = await readDeviceKeys(options.keysFile);
    stats.devices = devices.length;
    const faults = scheduleFaults({
      kinds: options.faults,
      devices: devices.length,
      durationMs: options.durationMs,
      seed: options.seed,
    });
    await Promise.all(
      devices.map(async (device, index) => {
        const design = designTreatment({
          rnd: seededRandom(options.seed, index),
          elapsedMs: Date.now() - input.runStartMs,
          remainingMs: input.runStartMs + options.durationMs - Date.now(),
          overrunAtMs: faults.find((f) => f.device === index && f.kind === 'overrun')?.atMs,
          fixedPlannedMinutes: device.plan.plannedDurationMinutes,
        });
        await streamOne(
          input,
          faults,
          index,
          0,
          { key: device.key, label: device.label, plan: device.plan },
          design,
          { sinceMs: 0 },
        );
      }),
    );
    return;
  }
  stats.devices = options.devices;
  const admin = new ApiClient(options.api, options.admin);
  const operator = new ApiClient(options.api, options.operator);
  const provisioner = await Provisioner.prepare({
    admin,
    operator,
    clinics: options.clinics,
    runEndMs: input.runStartMs + options.durationMs,
    note: (m) => input.reporter.note(m),
  });
  const faults = scheduleFaults({
    kinds: options.faults,
    devices: options.devices,
    durationMs: options.durationMs,
    seed: options.seed,
  });
  const ctx: DeviceContext = {
    input,
    provisioner,
    faults,
    setup: limiter(SETUP_CONCURRENCY),
    stop: limiter(STOP_CONCURRENCY),
    fatal: null,
    stopAll: new AbortController(),
  };
  setMaxListeners(0, ctx.stopAll.signal); // every device waits on it
  input.signal.addEventListener('abort', () => ctx.stopAll.abort(), { once: true });
  if (input.signal.aborted) ctx.stopAll.abort();
  await Promise.all(
    Array.from({ length: options.devices }, (_, index) => provisionedDevice(ctx, index)),
  );
  if (ctx.fatal) throw ctx.fatal;
}

interface DeviceContext {
  input: SimulationInput;
  provisioner: Provisioner;
  faults: ScheduledFault[];
  setup: ReturnType<typeof limiter>;
  stop: ReturnType<typeof limiter>;
  fatal: Error | null;
  /** The run's signal, or sooner when set-up cannot work at all. */
  stopAll: AbortController;
}

async function provisionedDevice(ctx: DeviceContext, index: number): Promise<void> {
  const { input, provisioner } = ctx;
  const { options, stats, reporter } = input;
  const signal = ctx.stopAll.signal;
  const setup = provisioner.clinics[index % provisioner.clinics.length]!;
  const runEndMs = input.runStartMs + options.durationMs;
  const overruns = ctx.faults.filter((f) => f.device === index && f.kind === 'overrun');
  const timeline: DeviceTimeline = { sinceMs: 0 };
  let failures = 0;
  for (let cycle = 0; !signal.aborted; cycle++) {
    const elapsedMs = Date.now() - input.runStartMs;
    const remainingMs = runEndMs - Date.now();
    if (remainingMs < MIN_TREATMENT_MS) break;
    while (overruns[0] && overruns[0].atMs < elapsedMs) overruns.shift(); // passed between treatments
    const rnd = seededRandom(options.seed, index, cycle);
    const design = designTreatment({ rnd, elapsedMs, remainingMs, overrunAtMs: overruns[0]?.atMs });
    if (design.overrun) overruns.shift();
    const plan = simulatedPlan(rnd, design.plannedMinutes);

    let treatment: Treatment;
    try {
      treatment = await ctx.setup(() => provisioner.startTreatment(setup, plan));
      failures = 0;
    } catch (error) {
      failures++;
      stats.errors++;
      reporter.once(
        `setup-${(error as Error).message.slice(0, 60)}`,
        `could not set up a treatment at ${setup.clinic.name}: ${(error as Error).message}`,
      );
      if (stats.sessionsStarted === 0 && failures >= FIRST_SETUP_ATTEMPTS) {
        ctx.fatal ??= new Error(`no treatment could be set up: ${(error as Error).message}`);
        ctx.stopAll.abort();
        break;
      }
      await sleep(Math.min(60_000, 2000 * 2 ** (failures - 1)), signal);
      continue;
    }
    stats.sessionsStarted++;
    if (cycle === 0) announceFirst(ctx, treatment);
    if (!signal.aborted)
      await streamOne(input, ctx.faults, index, cycle, treatment, design, timeline, signal);
    try {
      await ctx.stop(() => provisioner.stopTreatment(treatment));
      stats.sessionsStopped++;
    } catch (error) {
      stats.errors++;
      reporter.once(
        `stop-${(error as Error).message.slice(0, 40)}`,
        `could not stop the session in ${treatment.label}: ${(error as Error).message}`,
      );
    }
  }
}

/** Names each device's first session (a few devices), or says when all have one. */
function announceFirst(ctx: DeviceContext, treatment: Treatment): void {
  const { options, stats, reporter } = ctx.input;
  if (options.devices <= 10) {
    const channels = treatment.plan.channels
      .map((c) => `${c.muscle} ${c.side} ≤${c.intensityCeilingMa} mA`)
      .join(', ');
    reporter.note(
      `simulator: session running in ${treatment.label}: ${treatment.plan.plannedDurationMinutes} min, ${channels}`,
    );
  } else if (stats.sessionsStarted === options.devices) {
    reporter.note(`simulator: ${options.devices} sessions running`);
  }
}

/** Where a device is in the run: its faults before `sinceMs` (run time) are past. */
interface DeviceTimeline {
  sinceMs: number;
}

/** Streams one treatment in real time with its share of the run's faults. */
async function streamOne(
  input: SimulationInput,
  faults: readonly ScheduledFault[],
  index: number,
  cycle: number,
  device: Pick<Treatment, 'key' | 'label' | 'plan'>,
  design: TreatmentDesign,
  timeline: DeviceTimeline,
  signal: AbortSignal = input.signal,
): Promise<StreamEnd> {
  const { options, stats, reporter } = input;
  const startAtMs = Date.now();
  const shaped = {
    ...design,
    traceSeconds: Math.max(
      0,
      Math.min(design.traceSeconds, (input.runStartMs + options.durationMs - startAtMs) / 1000),
    ),
  };
  const deviceFaults = faults.filter((f) => f.device === index);
  const generatorFaults = traceFaults(
    deviceFaults,
    device.plan,
    { startMs: startAtMs - input.runStartMs, sinceMs: timeline.sinceMs },
    shaped,
  );
  const trace = streamTreatment({
    plan: device.plan,
    hz: options.hz,
    durationSeconds: shaped.traceSeconds,
    seed: mixSeed(options.seed, index, cycle, 0x7ace),
    faults: generatorFaults,
    startAt: new Date(startAtMs).toISOString(),
    // Above every seq this device sent before (at most 100 samples a second, one per ms here).
    startSeq: startAtMs,
  });
  stats.streaming++;
  try {
    return await streamDevice(
      {
        apiUrl: options.api,
        key: device.key,
        label: device.label,
        trace,
        startAtMs,
        durationMs: shaped.traceSeconds * 1000,
        batchMs: options.batchMs,
        faultMarks: faultMarks(generatorFaults, shaped.traceSeconds),
        stats,
        reporter,
        rnd: seededRandom(options.seed, index, cycle, 0xb0ff),
      },
      signal,
    );
  } finally {
    stats.streaming--;
    timeline.sinceMs = Date.now() - input.runStartMs;
  }
}
