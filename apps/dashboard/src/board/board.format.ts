import {
  DEFAULT_SAFETY_THRESHOLDS,
  muscleByCode,
  runningSecondsAt,
  type ChannelPlan,
  type LiveSession,
  type SafetyThresholds,
} from '@tautline/domain';

/** Signal older than this is stale and shown so. */
export const STALE_AFTER_SECONDS = 3;

/** "07:05", "1:02:03". */
export function clockWords(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export interface SessionTimes {
  elapsedSeconds: number;
  /** Negative once past the planned duration. */
  remainingSeconds: number;
}

export function sessionTimes(
  session: Pick<LiveSession, 'runningSeconds' | 'runningSince' | 'plan'>,
  now: number,
): SessionTimes {
  const elapsedSeconds = runningSecondsAt(
    { runningSeconds: session.runningSeconds, runningSince: session.runningSince },
    now,
  );
  return {
    elapsedSeconds,
    remainingSeconds: session.plan.plannedDurationMinutes * 60 - elapsedSeconds,
  };
}

/** Whole seconds since the server received the latest sample; null when none came yet. */
export function freshnessSeconds(session: Pick<LiveSession, 'latest'>, now: number): number | null {
  if (!session.latest) return null;
  return Math.max(0, Math.floor((now - Date.parse(session.latest.receivedAt)) / 1000));
}

/** "Left upper trapezius", "Multifidus (midline)". */
export function channelMuscle(plan: ChannelPlan): string {
  const name = muscleByCode(plan.muscle).name;
  if (plan.side === 'midline') return `${name} (midline)`;
  const side = plan.side === 'left' ? 'Left' : 'Right';
  return `${side} ${name.toLowerCase()}`;
}

/** Electrode contact: inside the session's impedance window (the defaults if a sender left them out). */
export function contactOk(
  impedanceOhm: number,
  limits: Pick<SafetyThresholds, 'impedanceMinOhm' | 'impedanceMaxOhm'> = DEFAULT_SAFETY_THRESHOLDS,
): boolean {
  return impedanceOhm >= limits.impedanceMinOhm && impedanceOhm <= limits.impedanceMaxOhm;
}

export const formatMa = (ma: number): string => (Math.round(ma * 10) / 10).toFixed(1);

export const STATUS_WORDS: Record<string, string> = {
  ready: 'Ready',
  running: 'Running',
  paused: 'Paused',
  idle: 'Idle',
};

/** Browser-local "14:05:09". */
export function timeOfDay(at: number | string): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
