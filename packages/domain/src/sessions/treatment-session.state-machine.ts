import { z } from 'zod';
import { type IllegalTransition, type TransitionResult, transitionsOf } from '../state-machine';
import { type InstantInput, epochMs, isoAt } from './moment';

export const TREATMENT_SESSION_STATUSES = [
  'ready',
  'running',
  'paused',
  'completed',
  'aborted',
] as const;
export const TreatmentSessionStatus = z.enum(TREATMENT_SESSION_STATUSES);
export type TreatmentSessionStatus = z.infer<typeof TreatmentSessionStatus>;

export const TREATMENT_SESSION_EVENTS = ['start', 'pause', 'resume', 'stop', 'abort'] as const;
export const TreatmentSessionEvent = z.enum(TREATMENT_SESSION_EVENTS);
export type TreatmentSessionEvent = z.infer<typeof TreatmentSessionEvent>;

/**
 * Every legal move; anything absent is illegal. `stop` is the normal end and needs the session
 * to have run; `abort` ends it early from any live status (a vasovagal response does not wait).
 */
export const TREATMENT_SESSION_TRANSITIONS = {
  ready: { start: 'running', abort: 'aborted' },
  running: { pause: 'paused', stop: 'completed', abort: 'aborted' },
  paused: { resume: 'running', stop: 'completed', abort: 'aborted' },
  completed: {},
  aborted: {},
} as const satisfies Record<
  TreatmentSessionStatus,
  Partial<Record<TreatmentSessionEvent, TreatmentSessionStatus>>
>;

export const FINAL_TREATMENT_SESSION_STATUSES = [
  'completed',
  'aborted',
] as const satisfies readonly TreatmentSessionStatus[];

/** Statuses in which the stimulator is wired to a patient and the session shows on the live board. */
export const LIVE_TREATMENT_SESSION_STATUSES = [
  'running',
  'paused',
] as const satisfies readonly TreatmentSessionStatus[];

export function isFinalSessionStatus(status: TreatmentSessionStatus): boolean {
  return (FINAL_TREATMENT_SESSION_STATUSES as readonly TreatmentSessionStatus[]).includes(status);
}

/** The events that may happen next, e.g. to enable buttons. */
export function allowedSessionEvents(status: TreatmentSessionStatus): TreatmentSessionEvent[] {
  return Object.keys(TREATMENT_SESSION_TRANSITIONS[status]) as TreatmentSessionEvent[];
}

export type IllegalSessionTransition = IllegalTransition<
  TreatmentSessionStatus,
  TreatmentSessionEvent
>;
export type SessionTransitionResult = TransitionResult<
  TreatmentSessionStatus,
  TreatmentSessionEvent
>;

/** The status after `event`, or an error naming the illegal move (the API answers 409). */
export const sessionTransition = transitionsOf<TreatmentSessionStatus, TreatmentSessionEvent>(
  TREATMENT_SESSION_TRANSITIONS,
  'a session',
);

/** The running-time bookkeeping a session keeps: time before the current stretch, and its start. */
export interface SessionClock {
  runningSeconds: number;
  /** ISO instant the current running stretch began; null unless running. */
  runningSince: string | null;
}

/** Running seconds at `now`: paused and stopped time never counts. */
export function runningSecondsAt(clock: SessionClock, now: InstantInput): number {
  if (clock.runningSince === null) return clock.runningSeconds;
  const stretch = (epochMs(now) - epochMs(clock.runningSince)) / 1000;
  return clock.runningSeconds + Math.max(0, stretch);
}

/**
 * The clock after a legal `event` at `now`: start and resume open a running stretch, pause,
 * stop and abort fold it into `runningSeconds`. Call after `sessionTransition` said ok.
 */
export function sessionClockAfter(
  clock: SessionClock,
  event: TreatmentSessionEvent,
  now: InstantInput,
): SessionClock {
  const nowIso = isoAt(epochMs(now));
  if (event === 'start' || event === 'resume') {
    return { runningSeconds: clock.runningSeconds, runningSince: clock.runningSince ?? nowIso };
  }
  return { runningSeconds: runningSecondsAt(clock, now), runningSince: null };
}
