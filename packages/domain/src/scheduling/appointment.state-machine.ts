import { z } from 'zod';
import { type IllegalTransition, type TransitionResult, transitionsOf } from '../state-machine';

export const APPOINTMENT_STATUSES = [
  'booked',
  'confirmed',
  'checked_in',
  'in_session',
  'completed',
  'cancelled',
  'no_show',
] as const;
export const AppointmentStatus = z.enum(APPOINTMENT_STATUSES);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const APPOINTMENT_EVENTS = [
  'confirm',
  'check_in',
  'start_session',
  'complete',
  'cancel',
  'mark_no_show',
  'reschedule',
] as const;
export const AppointmentEvent = z.enum(APPOINTMENT_EVENTS);
export type AppointmentEvent = z.infer<typeof AppointmentEvent>;

/**
 * Every legal move; anything absent is illegal. Rescheduling moves the time, so a confirmed
 * appointment goes back to `booked` until the patient confirms the new time. A patient who
 * has arrived can still be sent home (cancel) but is no longer a no-show; a session under
 * way can only complete.
 */
export const APPOINTMENT_TRANSITIONS = {
  booked: {
    confirm: 'confirmed',
    check_in: 'checked_in',
    cancel: 'cancelled',
    mark_no_show: 'no_show',
    reschedule: 'booked',
  },
  confirmed: {
    check_in: 'checked_in',
    cancel: 'cancelled',
    mark_no_show: 'no_show',
    reschedule: 'booked',
  },
  checked_in: { start_session: 'in_session', cancel: 'cancelled' },
  in_session: { complete: 'completed' },
  completed: {},
  cancelled: {},
  no_show: {},
} as const satisfies Record<
  AppointmentStatus,
  Partial<Record<AppointmentEvent, AppointmentStatus>>
>;

export const FINAL_APPOINTMENT_STATUSES = [
  'completed',
  'cancelled',
  'no_show',
] as const satisfies readonly AppointmentStatus[];

/**
 * Statuses whose time stays taken from practitioner, room and patient. Only `cancelled`
 * frees it. `no_show` keeps it, as the database exclusion constraints do (they leave out
 * cancelled rows only): the slot was held, the history stays truthful, and reusing the rest
 * of a missed slot takes a deliberate new booking around it.
 */
export const OCCUPYING_APPOINTMENT_STATUSES = APPOINTMENT_STATUSES.filter(
  (s): s is Exclude<AppointmentStatus, 'cancelled'> => s !== 'cancelled',
);

export function occupiesTime(status: AppointmentStatus): boolean {
  return status !== 'cancelled';
}

export function isFinal(status: AppointmentStatus): boolean {
  return (FINAL_APPOINTMENT_STATUSES as readonly AppointmentStatus[]).includes(status);
}

/** The events that may happen next, e.g. to enable buttons. */
export function allowedEvents(status: AppointmentStatus): AppointmentEvent[] {
  return Object.keys(APPOINTMENT_TRANSITIONS[status]) as AppointmentEvent[];
}

export type IllegalAppointmentTransition = IllegalTransition<AppointmentStatus, AppointmentEvent>;
export type AppointmentTransitionResult = TransitionResult<AppointmentStatus, AppointmentEvent>;

/** The status after `event`, or an error naming the illegal move (the API answers 409). */
export const transition = transitionsOf<AppointmentStatus, AppointmentEvent>(
  APPOINTMENT_TRANSITIONS,
  'an appointment',
);
