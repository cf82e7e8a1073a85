import { z } from 'zod';
import { ReminderChannel } from '../patients.schemas';
import { type AppointmentStatus } from '../scheduling/appointment.state-machine';
import { EntityId, Instant } from '../scheduling/calendar.schemas';
import { countParam } from '../params.schemas';
import { ReminderPolicy } from './reminder-policy.schemas';

/** What an outbound message row is for: a reminder, or the one-off answer to an SMS keyword. */
export const REMINDER_PURPOSES = [
  'reminder',
  'opt_out_confirmation',
  'opt_in_confirmation',
  'help',
] as const;
export const ReminderPurpose = z.enum(REMINDER_PURPOSES);
export type ReminderPurpose = z.infer<typeof ReminderPurpose>;

/**
 * Messages to staff through the same outbox (Key decision 11): written pre-rendered, to a user,
 * about no appointment. `alert_escalation`: a clinic lead's email about an unacknowledged alert.
 */
export const STAFF_MESSAGE_PURPOSES = ['alert_escalation'] as const;
/** Every kind of row in the one outbox (the `reminders` table): what the sender knows how to send. */
export const OutboxPurpose = z.enum([...REMINDER_PURPOSES, ...STAFF_MESSAGE_PURPOSES]);
export type OutboxPurpose = z.infer<typeof OutboxPurpose>;

/**
 * `scheduled → sending → sent | failed`; `skipped` (planned, never sent; the reason says why) and
 * `cancelled` (withdrawn by a change: rescheduled, appointment_cancelled, opted_out, …).
 */
export const REMINDER_STATUSES = [
  'scheduled',
  'sending',
  'sent',
  'failed',
  'skipped',
  'cancelled',
] as const;
export const ReminderStatus = z.enum(REMINDER_STATUSES);
export type ReminderStatus = z.infer<typeof ReminderStatus>;

/** One row of an appointment's reminder log, as the API lists it. */
export const Reminder = z.object({
  id: EntityId,
  appointmentId: EntityId,
  purpose: ReminderPurpose,
  offset: z.string().nullable(),
  channel: ReminderChannel.nullable(),
  /** The policy offset applied to the start, before quiet hours and grace. */
  nominalAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  status: ReminderStatus,
  /**
   * Why it was skipped, cancelled or failed (a code): e.g. `missed` (overdue past the grace),
   * `retries_exhausted`, `provider_rejected`, `outcome_unknown` (a cut-off call to a provider
   * without lookup, attempts used up), `appointment_cancelled`, `rescheduled`, `opted_out`.
   */
  reason: z.string().nullable(),
  movedForQuietHours: z.boolean(),
  delayedForChangeGrace: z.boolean(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  sentAt: Instant.nullable(),
  createdAt: Instant,
});
export type Reminder = z.infer<typeof Reminder>;

/** Appointment statuses a reminder still makes sense for. */
const REMINDABLE: readonly AppointmentStatus[] = ['booked', 'confirmed'];

export interface ReminderSendInput {
  reminder: { purpose: ReminderPurpose; channel: ReminderChannel; appointmentStartsAt: string };
  appointment: { status: AppointmentStatus; start: string };
  patient: {
    phone: string | null;
    email: string | null;
    smsOptedOut: boolean;
    emailOptedOut: boolean;
  };
  now: string;
}

export type ReminderSendDecision = { send: true; to: string } | { send: false; reason: string };

/**
 * The worker's last look before sending, on fresh rows: a reminder goes out only for a still
 * booked or confirmed appointment at the time it was planned for, before it starts, on a channel
 * the patient has not opted out of. Keyword answers go regardless of the appointment, and the
 * opt-out confirmation goes even though the patient has just opted out (it is the last one).
 */
export function decideReminderSend(input: ReminderSendInput): ReminderSendDecision {
  const { reminder, appointment, patient } = input;
  const to = reminder.channel === 'sms' ? patient.phone : patient.email;
  if (!to) return { send: false, reason: 'no_destination' };
  if (reminder.purpose === 'opt_out_confirmation' || reminder.purpose === 'help')
    return { send: true, to };
  const optedOut = reminder.channel === 'sms' ? patient.smsOptedOut : patient.emailOptedOut;
  if (optedOut) return { send: false, reason: 'opted_out' };
  if (reminder.purpose === 'opt_in_confirmation') return { send: true, to };
  if (!REMINDABLE.includes(appointment.status))
    return { send: false, reason: `appointment_${appointment.status}` };
  if (Date.parse(appointment.start) !== Date.parse(reminder.appointmentStartsAt))
    return { send: false, reason: 'rescheduled' };
  if (Date.parse(input.now) >= Date.parse(appointment.start))
    return { send: false, reason: 'too_late' };
  return { send: true, to };
}

/** A reminder policy as the API answers it: which row it came from. */
export const EffectiveReminderPolicy = z.object({
  policy: ReminderPolicy,
  source: z.enum(['clinic', 'organisation', 'default']),
});

/** What the `log` channel stored: the message exactly as it would have gone out. */
export const LoggedMessage = z.object({
  reminderId: EntityId,
  appointmentId: EntityId,
  channel: ReminderChannel,
  destination: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  loggedAt: Instant,
});
export type LoggedMessage = z.infer<typeof LoggedMessage>;

export const MessageLogQuery = z.object({
  limit: countParam({ min: 1, max: 200 }).default(50),
});
export type EffectiveReminderPolicy = z.infer<typeof EffectiveReminderPolicy>;
