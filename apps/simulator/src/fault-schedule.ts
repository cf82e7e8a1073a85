import { type SessionPlan, type SimulatedFault, type SimulatedFaultKind } from '@tautline/domain';
import { between, type Random, seededRandom } from './random';
import { plannedMinutes, PLANNED_MINUTES } from './session-plan';

/**
 * When and where faults happen in a run: decided up front from the seed, so a run can be
 * replayed, then laid over each device's treatments by the domain's generator.
 */
export interface ScheduledFault {
  /** Index of the simulated device (0-based). */
  device: number;
  kind: SimulatedFaultKind;
  /** Milliseconds after the run started. */
  atMs: number;
  /** Which of the plan's channels a spike or lead-off hits, as a fraction of the channel list. */
  channelPick: number;
}

/** On average one fault of each kind per device in this time (overruns a quarter as often). */
export const FAULT_EVERY_MS = 15 * 60_000;
/** How long an overrunning device keeps stimulating past its plan: beyond the 2-minute grace. */
export const OVERRUN_EXTRA_SECONDS = 240;

export function scheduleFaults(input: {
  kinds: readonly SimulatedFaultKind[];
  devices: number;
  durationMs: number;
  seed: number;
}): ScheduledFault[] {
  const { kinds, devices, durationMs } = input;
  const rnd = seededRandom(input.seed, 0xfa17);
  // Not in the first seconds of a run (devices are being set up), and ending within it.
  const from = Math.min(20_000, durationMs * 0.3);
  const to = Math.max(from, durationMs - Math.min(10_000, durationMs * 0.3));
  const expected = (devices * durationMs) / FAULT_EVERY_MS;
  const faults: ScheduledFault[] = [];
  for (const kind of kinds) {
    const count = Math.max(1, Math.round(kind === 'overrun' ? expected / 4 : expected));
    for (let i = 0; i < count; i++) {
      faults.push({
        device: Math.floor(rnd() * devices),
        kind,
        atMs: Math.round(between(rnd, from, to)),
        channelPick: rnd(),
      });
    }
  }
  return faults.sort((a, b) => a.atMs - b.atMs || a.device - b.device);
}

/** How one treatment of a device runs: its planned minutes and how long the device streams. */
export interface TreatmentDesign {
  plannedMinutes: number;
  /** Seconds of telemetry: the plan, or beyond it when overrunning; never past the run's end. */
  traceSeconds: number;
  overrun: boolean;
}

/**
 * The next treatment of a device `elapsedMs` into the run. An overrun due within an ordinary
 * visit's length shapes the plan so that it ends then and the device keeps going past it.
 * `fixedPlannedMinutes`: a `--keys` device whose session (and plan) someone else made.
 */
export function designTreatment(input: {
  rnd: Random;
  elapsedMs: number;
  remainingMs: number;
  /** The device's next unused overrun, in run time. */
  overrunAtMs?: number;
  fixedPlannedMinutes?: number;
}): TreatmentDesign {
  const { rnd, elapsedMs, remainingMs, overrunAtMs, fixedPlannedMinutes } = input;
  const remainingSeconds = Math.max(0, remainingMs / 1000);
  if (fixedPlannedMinutes !== undefined) {
    const overrun = overrunAtMs !== undefined;
    const seconds = overrun ? remainingSeconds : fixedPlannedMinutes * 60;
    return {
      plannedMinutes: fixedPlannedMinutes,
      traceSeconds: Math.min(seconds, remainingSeconds),
      overrun,
    };
  }
  if (overrunAtMs !== undefined && overrunAtMs - elapsedMs <= PLANNED_MINUTES.max * 60_000) {
    const minutes = Math.min(90, Math.max(1, Math.round((overrunAtMs - elapsedMs) / 60_000)));
    return {
      plannedMinutes: minutes,
      traceSeconds: Math.min(minutes * 60 + OVERRUN_EXTRA_SECONDS, remainingSeconds),
      overrun: true,
    };
  }
  const minutes = plannedMinutes(rnd);
  return {
    plannedMinutes: minutes,
    traceSeconds: Math.min(minutes * 60, remainingSeconds),
    overrun: false,
  };
}

/** A fault due while its device was between treatments happens this soon after it streams again. */
export const DEFERRED_FAULT_SECOND = 1;

/**
 * The generator's faults for a trace starting `startMs` into the run: the device's scheduled
 * faults that fall inside it (relative seconds, on a channel of the plan), those it missed since
 * `sinceMs` (the end of its previous trace; it was being set up) at its start, plus the overrun.
 */
export function traceFaults(
  deviceFaults: readonly ScheduledFault[],
  plan: SessionPlan,
  window: { startMs: number; sinceMs: number },
  design: TreatmentDesign,
): SimulatedFault[] {
  const endMs = window.startMs + design.traceSeconds * 1000;
  const faults: SimulatedFault[] = deviceFaults
    .filter((f) => f.kind !== 'overrun' && f.atMs >= window.sinceMs && f.atMs < endMs)
    .map((f) => ({
      kind: f.kind,
      atSecond: Math.max((f.atMs - window.startMs) / 1000, DEFERRED_FAULT_SECOND),
      channel: plan.channels[Math.floor(f.channelPick * plan.channels.length)]!.channel,
    }));
  if (design.overrun) faults.push({ kind: 'overrun', atSecond: design.plannedMinutes * 60 });
  return faults.sort((a, b) => a.atSecond - b.atSecond);
}

/** When each fault shows in the stream (ms after the trace start), for counting what was injected. */
export function faultMarks(
  faults: readonly SimulatedFault[],
  traceSeconds: number,
): { kind: SimulatedFaultKind; offsetMs: number }[] {
  return faults
    .filter((f) => f.atSecond < traceSeconds)
    .map((f) => ({ kind: f.kind, offsetMs: Math.round(f.atSecond * 1000) }));
}
