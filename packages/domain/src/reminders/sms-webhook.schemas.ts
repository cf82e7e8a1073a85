import { z } from 'zod';
import { type AppointmentStatus } from '../scheduling/appointment.state-machine';
import { EntityId, Instant } from '../scheduling/calendar.schemas';
import { type SmsKeyword } from './sms-keywords';

/**
 * The inbound SMS webhook (a patient's reply to a reminder text) and what Tautline answers.
 * Patient data: the text and the phone number go to the database only, never to logs or audit.
 */

/** E.164 exactly as SMS providers send it (and as reminders record their destination). */
const E164 = z
  .string()
  .regex(/^[+][1-9][0-9]{6,14}$/, 'must be an E.164 number such as +447700900123');

/** PostgreSQL text cannot hold NUL. */
const withoutNul = (value: string) => !value.includes('\u0000');
/** No C0 control characters or DEL (an id is an opaque token). */
const withoutControls = (value: string) =>
  [...value].every((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f);

/** What the SMS provider POSTs for each message received; fields it adds beyond these are ignored. */
export const InboundSmsWebhook = z.object({
  /** The provider's id of the message: a redelivery carries the same one. */
  messageId: z
    .string()
    .min(1)
    .max(200)
    .refine(withoutControls, 'must not contain control characters'),
  /** The patient's number. */
  from: E164,
  /** Our number the patient replied to. */
  to: E164,
  text: z.string().max(1600).refine(withoutNul, 'must not contain NUL characters'),
  /** When the provider received it; now if absent. */
  receivedAt: Instant.optional(),
});
export type InboundSmsWebhook = z.infer<typeof InboundSmsWebhook>;

export const SMS_KEYWORDS = [
  'confirm',
  'reschedule',
  'opt_out',
  'opt_in',
  'help',
  'unknown',
] as const satisfies readonly SmsKeyword[];
export const SmsKeywordSchema = z.enum(SMS_KEYWORDS);

/** What a reply did; stored with it, so a redelivered webhook answers the same. */
export const SMS_REPLY_OUTCOMES = [
  'confirmed',
  'already_confirmed',
  'not_confirmable',
  'reschedule_requested',
  'not_reschedulable',
  'opted_out',
  'already_opted_out',
  'opted_in',
  'already_opted_in',
  /** STOP or START from a number no patient of the organisation has on file any more. */
  'number_not_on_file',
  'help_queued',
  /** HELP again within `SMS_HELP_REPLY_INTERVAL_MINUTES` of the last answer: stored, not answered. */
  'help_recently_sent',
  'unrecognised',
] as const;
export const SmsReplyOutcome = z.enum(SMS_REPLY_OUTCOMES);
export type SmsReplyOutcome = z.infer<typeof SmsReplyOutcome>;

/** The webhook's 200 answer. */
export const InboundSmsAnswer = z.object({ outcome: SmsReplyOutcome, keyword: SmsKeywordSchema });
export type InboundSmsAnswer = z.infer<typeof InboundSmsAnswer>;

export const PATIENT_REPLIES_MAX = 100;

/** One reply as staff see it on the patient's record. */
export const PatientSmsReply = z.object({
  id: EntityId,
  receivedAt: Instant,
  keyword: SmsKeywordSchema,
  outcome: SmsReplyOutcome,
  text: z.string(),
  appointmentId: EntityId,
});
export type PatientSmsReply = z.infer<typeof PatientSmsReply>;

/** `GET /patients/:id/messages`: opt-outs and the latest replies, newest first. */
export const PatientMessages = z.object({
  smsOptedOutAt: Instant.nullable(),
  emailOptedOutAt: Instant.nullable(),
  replies: z.array(PatientSmsReply).max(PATIENT_REPLIES_MAX),
});
export type PatientMessages = z.infer<typeof PatientMessages>;

/** Appointments a patient may still act on by text: not yet started, neither cancelled nor under way. */
const OPEN: readonly AppointmentStatus[] = ['booked', 'confirmed'];

/**
 * What "C" does: confirm a booked appointment that has not started; a confirmed one stays as it is;
 * anything else (cancelled, checked in, past, …) cannot be confirmed by text.
 */
export function smsConfirmDecision(
  appointment: { status: AppointmentStatus; start: string },
  now: string,
): 'confirm' | 'already_confirmed' | 'not_confirmable' {
  if (Date.parse(appointment.start) <= Date.parse(now)) return 'not_confirmable';
  if (appointment.status === 'confirmed') return 'already_confirmed';
  return appointment.status === 'booked' ? 'confirm' : 'not_confirmable';
}

/** "R" flags an open appointment that has not started for the clinic to call back. */
export function canRequestReschedule(
  appointment: { status: AppointmentStatus; start: string },
  now: string,
): boolean {
  return OPEN.includes(appointment.status) && Date.parse(appointment.start) > Date.parse(now);
}
