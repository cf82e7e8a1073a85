import {
  type ReminderChannel,
  type ReminderStatus,
  type SmsKeyword,
  type SmsReplyOutcome,
} from '@tautline/domain';
import { DateTime, Duration } from 'luxon';
import { clinicDateTime } from '../review/review.format';

/**
 * Words for the reminder log and a patient's messages. Reason codes come from three places: the
 * planner (`in_past`, `after_appointment`, `within_cutoff`, `opted_out`, `no_channel`, `duplicate`),
 * the outbox (`rescheduled`, `replanned`, `appointment_<status>`), and the worker (`too_late`,
 * `no_destination`, `missed`, `provider_rejected`, `retries_exhausted`).
 */

const REASONS: Record<string, string> = {
  in_past: 'its time had already passed when it was planned',
  after_appointment: 'it would have been due after the appointment',
  within_cutoff: 'it would have been due too close to the appointment',
  opted_out: 'the patient opted out of these messages',
  no_channel: 'the patient has no phone number or email address we may use',
  no_destination: 'the patient has no phone number or email address for this channel',
  duplicate: 'another reminder was already due at the same time',
  rescheduled: 'the appointment was moved',
  replanned: 'the reminders were planned again',
  appointment_cancelled: 'the appointment was cancelled',
  appointment_checked_in: 'the patient had already checked in',
  appointment_in_session: 'the appointment was already under way',
  appointment_completed: 'the appointment was already over',
  appointment_no_show: 'the patient was marked as not attending',
  too_late: 'the appointment had already started when it was due to go',
  missed: 'it was not sent in time and would have arrived too late',
  provider_rejected: 'the message provider refused it',
  retries_exhausted: 'the message provider could not be reached after several tries',
};

/** A reason code in words ("the appointment was moved"); an unknown code is shown as it is. */
export function reminderReasonWords(reason: string | null): string | null {
  if (reason === null || reason === '') return null;
  return REASONS[reason] ?? `reason “${reason.replace(/_/g, ' ')}”`;
}

const STATUS_WORDS: Record<ReminderStatus, string> = {
  scheduled: 'Planned',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

export function reminderStatusWords(status: ReminderStatus): string {
  return STATUS_WORDS[status];
}

/** "Skipped: the appointment was moved", "Sent", "Failed: the message provider refused it". */
export function reminderOutcome(reminder: {
  status: ReminderStatus;
  reason: string | null;
}): string {
  const status = reminderStatusWords(reminder.status);
  const reason = reminderReasonWords(reminder.reason);
  return reason ? `${status}: ${reason}` : status;
}

/** "P1D" → "1 day before", "PT2H" → "2 hours before", "PT55M" → "55 minutes before". */
export function offsetWords(offset: string | null): string {
  if (!offset) return 'Not a scheduled reminder';
  const duration = Duration.fromISO(offset);
  if (!duration.isValid) return offset;
  const parts = (['weeks', 'days', 'hours', 'minutes'] as const)
    .map((unit) => [unit, duration.get(unit)] as const)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => `${n} ${n === 1 ? unit.slice(0, -1) : unit}`);
  return parts.length ? `${parts.join(' ')} before` : 'At the start';
}

export const CHANNEL_WORDS: Record<ReminderChannel, string> = {
  sms: 'Text message',
  email: 'Email',
};

export function channelWords(channel: ReminderChannel | null): string {
  return channel ? CHANNEL_WORDS[channel] : 'No channel';
}

export const KEYWORD_WORDS: Record<SmsKeyword, string> = {
  confirm: 'Confirm',
  reschedule: 'Reschedule',
  opt_out: 'Stop',
  opt_in: 'Start',
  help: 'Help',
  unknown: 'Not a keyword',
};

export const OUTCOME_WORDS: Record<SmsReplyOutcome, string> = {
  confirmed: 'Appointment confirmed',
  already_confirmed: 'Already confirmed; nothing changed',
  not_confirmable: 'Could not be confirmed (cancelled, under way or past)',
  reschedule_requested: 'Asked for another time',
  not_reschedulable: 'Could not ask for another time (cancelled, under way or past)',
  opted_out: 'Opted out of text messages',
  already_opted_out: 'Already opted out; nothing changed',
  opted_in: 'Opted back in to text messages',
  already_opted_in: 'Already opted in; nothing changed',
  number_not_on_file: 'The number is no longer on file',
  help_queued: 'Help message sent',
  help_recently_sent: 'Asked for help again; the recent help message stands',
  unrecognised: 'Not understood; nothing changed',
};

/** A time in the patient's clinic's zone when known, else the browser's, always with the zone named. */
export function messageTime(instant: string, timeZone?: string): string {
  if (timeZone) return clinicDateTime(instant, timeZone);
  const local = DateTime.fromISO(instant).setLocale('en-GB');
  return `${local.toFormat('ccc d LLL yyyy, HH:mm')} ${local.offsetNameShort ?? ''}`.trim();
}
