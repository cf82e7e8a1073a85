import { epochMs, isoAt } from './moment';
import {
  type DeviceFlag,
  type TelemetryChannelReading,
  type TelemetrySample,
} from './telemetry.schemas';
import { type ChannelPlan, type SessionPlan } from './treatment-session.schemas';

/**
 * Deterministic, realistic stimulator telemetry for the unit tests, the device simulator and the
 * benchmarks. A clinician turns each channel up in small steps over 45–90 s to 55–80 % of its
 * ceiling, then leaves it with small noise and an occasional comfort adjustment (±0.3–1 mA over a
 * few seconds); impedance drifts slowly between 600 and 3000 Ω; the battery runs down. Faults are
 * laid over that trace without touching its random draws, so a faulted trace equals the clean one
 * outside its faults.
 */

export const SIMULATED_FAULT_KINDS = ['lead_off', 'spike', 'dropout', 'overrun'] as const;
export type SimulatedFaultKind = (typeof SIMULATED_FAULT_KINDS)[number];

export interface SimulatedFault {
  kind: SimulatedFaultKind;
  /** Seconds after the start. */
  atSecond: number;
  /** spike 1.5 s, lead_off 8 s, dropout 10 s; ignored for overrun. */
  forSeconds?: number;
  /** The channel of a spike or lead-off; default the plan's first. */
  channel?: number;
  /** A spike's intensity in mA (default 1.3 × the ceiling) or a lead-off's impedance in Ω (default 25–60 kΩ). */
  value?: number;
}

export interface SimulateTreatmentOptions {
  plan: SessionPlan;
  /** Samples per second; 10 by default. */
  hz?: number;
  /** How long the trace may run. The device's timer stops at the planned duration unless an overrun fault is given. */
  durationSeconds: number;
  seed: number;
  faults?: readonly SimulatedFault[];
  /** ISO instant of the first sample. */
  startAt: string;
  startSeq?: number;
}

export interface SimulatedSample {
  sample: TelemetrySample;
  /** Milliseconds after `startAt`. */
  offsetMs: number;
}

/** mulberry32: tiny, fast, and good enough for noise; the same seed gives the same stream everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const uniform = (rnd: Random, min: number, max: number) => min + (max - min) * rnd();
/** Roughly normal, mean 0, sd 1 (a sum of three uniforms). */
const noise = (rnd: Random) => (rnd() + rnd() + rnd() - 1.5) * 2;
const round = (value: number, decimals: number) =>
  Math.round(value * 10 ** decimals) / 10 ** decimals;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Never more than this per ramp step, whatever the ceiling: well under the default 4 mA jump rule. */
const MAX_STEP_MA = 1.5;
const RAMP_DOWN_SECONDS = 3;

/** One channel as the clinician drives it; `reading(t)` must be called with increasing t. */
class SimulatedChannel {
  private readonly rnd: Random;
  private readonly ceiling: number;
  private readonly rampStart: number;
  private readonly rampEnd: number;
  private readonly steps: number;
  private level: number;
  private adjustment: { from: number; to: number; start: number; end: number } | null = null;
  private nextAdjustmentAt: number;
  private readonly impedanceBase: number;
  private readonly drift: { amplitude: number; period: number; phase: number };

  constructor(
    private readonly plan: ChannelPlan,
    seed: number,
    index: number,
    plannedSeconds: number,
  ) {
    this.rnd = mulberry32(seed);
    this.ceiling = plan.intensityCeilingMa;
    this.level = this.ceiling * uniform(this.rnd, 0.55, 0.8);
    this.rampStart = index * uniform(this.rnd, 2, 6);
    const rampSeconds = Math.min(uniform(this.rnd, 45, 90), plannedSeconds / 2);
    this.rampEnd = this.rampStart + rampSeconds;
    this.steps = Math.max(
      Math.round(rampSeconds / uniform(this.rnd, 1.5, 3)),
      Math.ceil(this.level / MAX_STEP_MA),
      1,
    );
    this.nextAdjustmentAt = this.rampEnd + uniform(this.rnd, 60, 240);
    this.impedanceBase = uniform(this.rnd, 900, 2200);
    this.drift = {
      amplitude: uniform(this.rnd, 50, 300),
      period: uniform(this.rnd, 180, 600),
      phase: uniform(this.rnd, 0, 2 * Math.PI),
    };
  }

  reading(t: number, endAt: number): TelemetryChannelReading {
    const rnd = this.rnd;
    const jitter = [noise(rnd), noise(rnd), noise(rnd), noise(rnd)] as const;
    let ma: number;
    if (t < this.rampStart) ma = 0;
    else if (t < this.rampEnd) {
      const step = Math.min(
        this.steps,
        Math.floor(((t - this.rampStart) / (this.rampEnd - this.rampStart)) * this.steps) + 1,
      );
      ma = (this.level * step) / this.steps;
    } else {
      ma = this.comfortLevel(t) + jitter[0] * (0.004 * this.level + 0.01);
    }
    const toEnd = endAt - t;
    if (toEnd < RAMP_DOWN_SECONDS) ma *= Math.max(0, toEnd / RAMP_DOWN_SECONDS);

    const wave =
      this.drift.amplitude * Math.sin((2 * Math.PI * t) / this.drift.period + this.drift.phase);
    return {
      channel: this.plan.channel,
      intensityMa: round(clamp(ma, 0, this.ceiling * 0.92), 2),
      frequencyHz: round(this.plan.frequencyHz * (1 + jitter[1] * 0.001), 1),
      pulseWidthUs: Math.round(clamp(this.plan.pulseWidthUs + jitter[2] * 0.5, 0, 1000)),
      impedanceOhm: Math.round(clamp(this.impedanceBase + wave + jitter[3] * 15, 600, 3000)),
    };
  }

  /** The plateau level, moved now and then by the patient asking for a little more or less. */
  private comfortLevel(t: number): number {
    if (this.adjustment && t >= this.adjustment.end) {
      this.level = this.adjustment.to;
      this.adjustment = null;
      this.nextAdjustmentAt = t + uniform(this.rnd, 90, 300);
    }
    if (!this.adjustment && t >= this.nextAdjustmentAt) {
      const size = uniform(this.rnd, 0.3, 1);
      const up = this.rnd() < 0.5;
      const to = clamp(this.level + (up ? size : -size), this.ceiling * 0.45, this.ceiling * 0.85);
      this.adjustment = { from: this.level, to, start: t, end: t + uniform(this.rnd, 2, 5) };
    }
    const a = this.adjustment;
    if (!a) return this.level;
    return a.from + ((a.to - a.from) * (t - a.start)) / (a.end - a.start);
  }
}

interface FaultWindow {
  fault: SimulatedFault;
  from: number;
  to: number;
  channel: number;
  value: number;
}

function faultWindows(options: SimulateTreatmentOptions, rnd: Random): FaultWindow[] {
  const first = options.plan.channels[0]?.channel ?? 1;
  return (options.faults ?? []).map((fault) => {
    const channel = fault.channel ?? first;
    const ceiling =
      options.plan.channels.find((c) => c.channel === channel)?.intensityCeilingMa ?? 10;
    const defaults = {
      spike: [1.5, ceiling * 1.3],
      lead_off: [8, uniform(rnd, 25_000, 60_000)],
      dropout: [10, 0],
      overrun: [0, 0],
    };
    const [forSeconds, value] = defaults[fault.kind];
    return {
      fault,
      from: fault.atSecond,
      to: fault.atSecond + (fault.forSeconds ?? forSeconds ?? 0),
      channel,
      value: fault.value ?? value ?? 0,
    };
  });
}

/** The samples one at a time, as a device streams them. */
export function* streamTreatment(options: SimulateTreatmentOptions): Generator<SimulatedSample> {
  const hz = options.hz ?? 10;
  if (!(hz > 0 && hz <= 1000)) throw new RangeError(`hz must be within (0, 1000]: ${hz}`);
  const startMs = epochMs(options.startAt);
  const plannedSeconds = options.plan.plannedDurationMinutes * 60;
  const overrun = (options.faults ?? []).some((f) => f.kind === 'overrun');
  const endAt = overrun
    ? options.durationSeconds
    : Math.min(options.durationSeconds, plannedSeconds);
  const channels = [...options.plan.channels]
    .sort((a, b) => a.channel - b.channel)
    .map(
      (plan, i) =>
        new SimulatedChannel(
          plan,
          (options.seed * 7919 + plan.channel * 104_729) >>> 0,
          i,
          plannedSeconds,
        ),
    );
  const battery = mulberry32((options.seed ^ 0x5eed) >>> 0);
  const batteryStart = uniform(battery, 60, 100);
  const batteryPerSecond = uniform(battery, 0.0008, 0.0025);
  const faults = faultWindows(options, mulberry32((options.seed ^ 0xfa17) >>> 0));
  const active = (t: number, kind: SimulatedFaultKind, channel?: number) =>
    faults.find(
      (w) =>
        w.fault.kind === kind &&
        t >= w.from &&
        t < w.to &&
        (channel === undefined || w.channel === channel),
    );

  const ticks = Math.floor(endAt * hz);
  for (let tick = 0; tick < ticks; tick += 1) {
    const offsetMs = Math.round((tick * 1000) / hz);
    const t = offsetMs / 1000;
    // Draw the clean readings first so faults never shift the random streams.
    const readings = channels.map((c) => c.reading(t, endAt));
    if (active(t, 'dropout')) continue;
    const flags: DeviceFlag[] = [];
    for (const r of readings) {
      const spike = active(t, 'spike', r.channel);
      if (spike) r.intensityMa = round(spike.value, 2);
      const leadOff = active(t, 'lead_off', r.channel);
      if (leadOff) r.impedanceOhm = Math.round(leadOff.value);
      if (leadOff && !flags.includes('lead_off')) flags.push('lead_off');
    }
    const batteryPct = round(clamp(batteryStart - batteryPerSecond * t, 0, 100), 1);
    if (batteryPct < 15) flags.push('low_battery');
    yield {
      offsetMs,
      sample: {
        seq: (options.startSeq ?? 0) + tick,
        at: isoAt(startMs + offsetMs),
        channels: readings,
        batteryPct,
        flags,
      },
    };
  }
}

/** The whole trace at once. */
export function simulateTreatment(options: SimulateTreatmentOptions): SimulatedSample[] {
  return [...streamTreatment(options)];
}
