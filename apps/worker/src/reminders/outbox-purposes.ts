import {
  decideReminderSend,
  DEFAULT_REMINDER_POLICY,
  type OutboxPurpose,
  ReminderLocale,
} from '@tautline/domain';
import { type ReminderMessages } from './reminder-message';
import { asPatientMessage, type ClaimedMessage } from './reminder.store';

/** What to send for a claimed row, decided on fresh data; or why it is not sent. */
export type Preparation =
  | { send: true; to: string; subject?: string; text: string }
  | { send: false; reason: string };

/** Decides and renders one purpose's messages. Pure apart from signing links. */
export type PurposeHandler = (row: ClaimedMessage, now: Date) => Preparation;

/**
 * Every kind of outbound message and how the one sender prepares it: the claim, lease, send lock,
 * retries, recovery and reconciler are the same for all. A new purpose (waitlist offer,
 * invitation, patient notice) adds its name to the domain's OutboxPurpose and a handler here.
 */
export function outboxPurposes(messages: ReminderMessages): Record<OutboxPurpose, PurposeHandler> {
  const toPatient: PurposeHandler = (row, now) => {
    const r = asPatientMessage(row);
    if (!r) return { send: false, reason: 'no_destination' };
    const decision = decideReminderSend({
      reminder: {
        purpose: r.purpose,
        channel: r.channel,
        appointmentStartsAt: r.appointment_starts_at.toISOString(),
      },
      appointment: { status: r.appointment_status, start: r.starts_at.toISOString() },
      patient: {
        phone: r.phone,
        email: r.email,
        smsOptedOut: r.sms_opted_out_at !== null,
        emailOptedOut: r.email_opted_out_at !== null,
      },
      now: now.toISOString(),
    });
    if (!decision.send) return decision;
    // Stored policies were validated on write; a locale added since falls back to the default.
    const locale = ReminderLocale.safeParse(r.policy_locale).data ?? DEFAULT_REMINDER_POLICY.locale;
    return { send: true, to: decision.to, ...messages.render(r, locale) };
  };
  // Rendered when written (the alert's words at escalation time), to the recipient chosen then.
  const toStaff: PurposeHandler = (row) =>
    row.destination && row.body
      ? { send: true, to: row.destination, subject: row.subject ?? undefined, text: row.body }
      : { send: false, reason: 'no_destination' };
  return {
    reminder: toPatient,
    opt_out_confirmation: toPatient,
    opt_in_confirmation: toPatient,
    help: toPatient,
    alert_escalation: toStaff,
  };
}

/** Where a row goes, for recording a message an earlier attempt already delivered. */
export function destinationOf(row: ClaimedMessage): string {
  if (row.destination) return row.destination;
  return (row.channel === 'sms' ? row.phone : row.email) ?? '';
}
