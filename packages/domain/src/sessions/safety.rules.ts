import { type AlertKey, type AlertKind, alertKey } from './alert.schemas';
import { alertMessages, channelLabel } from './alert.messages';
import { type InstantInput, epochMs } from './moment';
import { Judgement, type SafetyOutcome, draft } from './safety.judgement';
import { type SafetyThresholds } from './safety.thresholds';
import { type SafetyState, copySafetyState } from './safety.state';
import { type TelemetryChannelReading, type TelemetrySample } from './telemetry.schemas';
import { type SessionPlan, channelPlan } from './treatment-session.schemas';
import { type TreatmentSessionStatus } from './treatment-session.state-machine';

/**
 * The safety rules of a live session: a pure fold over telemetry (and the watchdog's clock) that
 * says which alerts to raise and which to resolve. Alert at once, and only once:
 * - a condition raises its alert on the first sample showing it, and while it holds the alert
 *   stays the same one (no repeats);
 * - it resolves only after `clearAfterMs` without it (hysteresis: a flickering condition stays
 *   one alert);
 * - on a channel the stronger alert covers the weaker: above the stimulator's limit does not also
 *   raise "above ceiling", and a jump that lands above the ceiling is that ceiling alert;
 * - samples are judged in seq order; a duplicate or older seq is ignored (device retries).
 * Per-sample judgement makes the outcome independent of how samples are split into batches.
 */

export interface SafetyContext {
  plan: SessionPlan;
  thresholds: SafetyThresholds;
  labels: { roomName: string };
}

export type { SafetyOutcome };

export interface SampleEvaluation extends SafetyOutcome {
  /** Samples skipped as duplicates or older than one already judged. */
  ignored: number;
}

/**
 * The rise of `ma` over the lowest reading of the last `windowMs` (inclusive), null when the
 * channel has no reading that recent (first sample, or back after a gap: no rate to judge).
 */
function riseOverWindow(
  state: SafetyState,
  channel: number,
  at: number,
  ma: number,
  windowMs: number,
): { from: number } | null {
  const minima = (state.intensityMinima[String(channel)] ??= []);
  while (minima.length > 0 && (minima[0]?.[0] ?? at) < at - windowMs) minima.shift();
  const lowest = minima[0]?.[1];
  // A newer reading no higher than older ones makes those irrelevant to any later window.
  while (minima.length > 0 && (minima[minima.length - 1]?.[1] ?? -Infinity) >= ma) minima.pop();
  minima.push([at, ma]);
  return lowest === undefined ? null : { from: lowest };
}

function judgeReading(
  j: Judgement,
  reading: TelemetryChannelReading,
  at: number,
  ctx: SafetyContext,
): void {
  const { thresholds: t, labels } = ctx;
  const { channel, intensityMa: ma, impedanceOhm: ohm } = reading;
  const plan = channelPlan(ctx.plan, channel);
  const where = () => channelLabel(labels.roomName, channel, plan);
  // Drafts are built only when raised: most readings raise nothing.
  const alert = (kind: AlertKind, message: () => string, value: number, limit: number) => () =>
    draft({ kind, channel, muscle: plan?.muscle ?? null, at, message: message(), value, limit });

  const deviceMax = t.deviceMaxIntensityMa;
  const overDevice = ma > deviceMax;
  j.observe(
    alertKey('intensity_over_device_limit', channel),
    overDevice,
    at,
    alert(
      'intensity_over_device_limit',
      () => alertMessages.overDeviceLimit(where(), ma, deviceMax),
      ma,
      deviceMax,
    ),
  );

  const ceiling = plan?.intensityCeilingMa ?? Infinity;
  const overCeiling = ma > ceiling;
  j.observe(
    alertKey('intensity_over_ceiling', channel),
    overCeiling,
    at,
    alert(
      'intensity_over_ceiling',
      () => alertMessages.overCeiling(where(), ma, ceiling),
      ma,
      ceiling,
    ),
    !overDevice,
  );

  const rise = riseOverWindow(j.state, channel, at, ma, t.jumpWindowMs);
  const by = rise === null ? 0 : ma - rise.from;
  j.observe(
    alertKey('intensity_jump', channel),
    by > t.intensityJumpMa,
    at,
    alert(
      'intensity_jump',
      () => alertMessages.jump(where(), rise?.from ?? 0, ma, t.jumpWindowMs, t.intensityJumpMa),
      by,
      t.intensityJumpMa,
    ),
    !overCeiling && !overDevice,
  );

  // An open circuit reads high with or without current; a low reading means something only while current flows.
  const high = ohm > t.impedanceMaxOhm;
  const low = ma > 0 && ohm < t.impedanceMinOhm;
  j.observe(
    alertKey('impedance_out_of_range', channel),
    high || low,
    at,
    high
      ? alert(
          'impedance_out_of_range',
          () => alertMessages.impedanceHigh(where(), ohm, t.impedanceMaxOhm),
          ohm,
          t.impedanceMaxOhm,
        )
      : alert(
          'impedance_out_of_range',
          () => alertMessages.impedanceLow(where(), ohm, t.impedanceMinOhm),
          ohm,
          t.impedanceMinOhm,
        ),
  );
}

/**
 * Judges a batch of samples. Channels a sample does not report keep their conditions as they
 * were (unknown is not "cleared"). Any sample brings an open `device_offline` to an end.
 */
export function evaluateSamples(
  state: SafetyState,
  samples: readonly TelemetrySample[],
  ctx: SafetyContext,
): SampleEvaluation {
  const j = new Judgement(copySafetyState(state), ctx.thresholds.clearAfterMs);
  let ignored = 0;
  for (const sample of [...samples].sort((a, b) => a.seq - b.seq)) {
    const s = j.state;
    if (s.lastSeq !== null && sample.seq <= s.lastSeq) {
      ignored += 1;
      continue;
    }
    // Device clocks may step back; judging on a clock that never does keeps the windows sane.
    const at = Math.max(epochMs(sample.at), s.lastSampleAt ?? -Infinity);
    s.lastSeq = sample.seq;
    s.lastSampleAt = at;
    j.resolve('device_offline', at);
    for (const reading of [...sample.channels].sort((a, b) => a.channel - b.channel))
      judgeReading(j, reading, at, ctx);
  }
  return { ...j.outcome(), ignored };
}

export interface ClockInput {
  now: InstantInput;
  /** When the server last received a batch from the device (not the device's own clock); null: never. */
  lastSampleReceivedAt: InstantInput | null;
  /** When the current running stretch began (start or resume); null unless running. */
  runningSince: InstantInput | null;
  /** Running time before the current stretch. */
  runningSecondsBefore: number;
  status: TreatmentSessionStatus;
  plan: SessionPlan;
  thresholds: SafetyThresholds;
  labels: { roomName: string };
}

/**
 * The watchdog's tick: `device_offline` when a running session's device has been silent longer
 * than `offlineAfterMs` (counted from the later of the last batch and the start or resume), and
 * `session_overrun` once running time exceeds planned + grace. Nothing is judged unless running:
 * a paused device may rest, and running time stands still.
 */
export function evaluateClock(state: SafetyState, input: ClockInput): SafetyOutcome {
  const { thresholds: t, labels, plan } = input;
  const j = new Judgement(copySafetyState(state), t.clearAfterMs);
  if (input.status !== 'running') return j.outcome();
  const now = epochMs(input.now);

  const heardFrom = Math.max(
    input.lastSampleReceivedAt === null ? -Infinity : epochMs(input.lastSampleReceivedAt),
    input.runningSince === null ? -Infinity : epochMs(input.runningSince),
  );
  if (Number.isFinite(heardFrom)) {
    const silentMs = now - heardFrom;
    if (silentMs > t.offlineAfterMs) {
      if (!j.state.open.device_offline) {
        const message = alertMessages.offline(labels.roomName, silentMs, t.offlineAfterMs);
        const [value, limit] = [silentMs / 1000, t.offlineAfterMs / 1000];
        j.raise(
          draft({
            kind: 'device_offline',
            channel: null,
            muscle: null,
            at: now,
            message,
            value,
            limit,
          }),
        );
      }
    } else {
      j.resolve('device_offline', now);
    }
  }

  const stretchSeconds =
    input.runningSince === null ? 0 : Math.max(0, (now - epochMs(input.runningSince)) / 1000);
  const runningMinutes = (input.runningSecondsBefore + stretchSeconds) / 60;
  const allowedMinutes = plan.plannedDurationMinutes + t.overrunGraceMinutes;
  if (runningMinutes > allowedMinutes && !j.state.open.session_overrun) {
    const message = alertMessages.overrun(
      labels.roomName,
      runningMinutes,
      plan.plannedDurationMinutes,
      t.overrunGraceMinutes,
    );
    const value = Math.round(runningMinutes * 100) / 100;
    j.raise(
      draft({
        kind: 'session_overrun',
        channel: null,
        muscle: null,
        at: now,
        message,
        value,
        limit: allowedMinutes,
      }),
    );
  }
  return j.outcome();
}

/** The session has ended (stopped or aborted): every unresolved alert resolves at `at`. */
export function resolveAllAlerts(state: SafetyState, at: InstantInput): SafetyOutcome {
  const j = new Judgement(copySafetyState(state), 0);
  const when = epochMs(at);
  for (const key of Object.keys(j.state.open) as AlertKey[]) j.resolve(key, when);
  return j.outcome();
}
