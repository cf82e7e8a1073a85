import { type AlertDraft, type AlertResolution } from '../alert.schemas';
import { evaluateClock, evaluateSamples, type SafetyContext } from '../safety.rules';
import { type SafetyState, initialSafetyState } from '../safety.state';
import { DEFAULT_SAFETY_THRESHOLDS, type SafetyThresholds } from '../safety.thresholds';
import { type TelemetrySample } from '../telemetry.schemas';
import { type SimulatedSample } from '../telemetry.simulation';
import { type ChannelPlan, type SessionPlan } from '../treatment-session.schemas';

export const START = '2026-03-02T10:00:00.000Z';
export const ROOM = 'Room 2';

export const channel = (
  overrides: Partial<ChannelPlan> & Pick<ChannelPlan, 'channel'>,
): ChannelPlan => ({
  muscle: 'upper_trapezius',
  side: 'left',
  waveform: 'biphasic_symmetric',
  frequencyHz: 4,
  pulseWidthUs: 250,
  intensityCeilingMa: 10,
  ...overrides,
});

/** A neck-and-shoulder treatment: both upper trapezii and the left levator scapulae. */
export const NECK_PLAN: SessionPlan = {
  plannedDurationMinutes: 30,
  channels: [
    channel({ channel: 1 }),
    channel({ channel: 2, side: 'right' }),
    channel({
      channel: 3,
      muscle: 'levator_scapulae',
      intensityCeilingMa: 8,
      frequencyHz: 10,
      pulseWidthUs: 200,
    }),
  ],
};

/** A low-back and hip treatment on six channels, with higher ceilings. */
export const LOW_BACK_PLAN: SessionPlan = {
  plannedDurationMinutes: 30,
  channels: [
    channel({
      channel: 1,
      muscle: 'quadratus_lumborum',
      intensityCeilingMa: 25,
      frequencyHz: 2,
      pulseWidthUs: 300,
    }),
    channel({
      channel: 2,
      muscle: 'quadratus_lumborum',
      side: 'right',
      intensityCeilingMa: 25,
      frequencyHz: 2,
      pulseWidthUs: 300,
    }),
    channel({
      channel: 4,
      muscle: 'multifidus',
      side: 'midline',
      intensityCeilingMa: 15,
      waveform: 'burst',
      frequencyHz: 80,
    }),
    channel({
      channel: 5,
      muscle: 'gluteus_medius',
      intensityCeilingMa: 30,
      waveform: 'biphasic_asymmetric',
      frequencyHz: 100,
    }),
    channel({
      channel: 6,
      muscle: 'gluteus_minimus',
      intensityCeilingMa: 30,
      frequencyHz: 100,
      pulseWidthUs: 100,
    }),
    channel({
      channel: 8,
      muscle: 'piriformis',
      side: 'right',
      intensityCeilingMa: 50,
      waveform: 'monophasic',
      frequencyHz: 250,
      pulseWidthUs: 500,
    }),
  ],
};

export const context = (
  plan: SessionPlan,
  thresholds: SafetyThresholds = DEFAULT_SAFETY_THRESHOLDS,
): SafetyContext => ({
  plan,
  thresholds,
  labels: { roomName: ROOM },
});

export interface MonitoredSession {
  raised: AlertDraft[];
  resolved: AlertResolution[];
  ignored: number;
  state: SafetyState;
}

const roundTrip = (state: SafetyState): SafetyState =>
  JSON.parse(JSON.stringify(state)) as SafetyState;

/**
 * Plays a trace through the rules as the worker would: the device sends a batch when its last
 * sample is taken, the watchdog ticks every second in between (and once after each batch, with
 * the batch just received), and the state goes through JSON between every call (Redis).
 */
export function monitor(
  trace: readonly SimulatedSample[],
  plan: SessionPlan,
  {
    batchSize = 10,
    thresholds = DEFAULT_SAFETY_THRESHOLDS,
    startAt = START,
    watchdogMs = 1000,
  } = {},
): MonitoredSession {
  const ctx = context(plan, thresholds);
  const start = Date.parse(startAt);
  const out: MonitoredSession = {
    raised: [],
    resolved: [],
    ignored: 0,
    state: initialSafetyState(),
  };
  let lastReceived: number | null = null;
  let nextTick = start + watchdogMs;
  const clock = (now: number, received: number | null) => {
    const r = evaluateClock(roundTrip(out.state), {
      now,
      lastSampleReceivedAt: received,
      runningSince: startAt,
      runningSecondsBefore: 0,
      status: 'running',
      plan,
      thresholds,
      labels: ctx.labels,
    });
    out.state = r.state;
    out.raised.push(...r.raised);
    out.resolved.push(...r.resolved);
  };

  for (let i = 0; i < trace.length; i += batchSize) {
    const batch: TelemetrySample[] = trace.slice(i, i + batchSize).map((s) => s.sample);
    const arrival = Date.parse(batch[batch.length - 1]?.at ?? startAt);
    for (; nextTick < arrival; nextTick += watchdogMs) clock(nextTick, lastReceived);
    const r = evaluateSamples(roundTrip(out.state), batch, ctx);
    out.state = r.state;
    out.raised.push(...r.raised);
    out.resolved.push(...r.resolved);
    out.ignored += r.ignored;
    lastReceived = arrival;
    clock(arrival, lastReceived);
  }
  return out;
}

/** Just the samples of a trace. */
export const samplesOf = (trace: readonly SimulatedSample[]): TelemetrySample[] =>
  trace.map((s) => s.sample);
