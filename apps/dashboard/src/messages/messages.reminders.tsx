import { type Reminder } from '@tautline/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { isUnauthorized } from '../http/http.problem';
import { fetchReminders } from './messages.api';
import { channelWords, messageTime, offsetWords, reminderOutcome } from './messages.format';
import { describeMessagesProblem } from './messages.problem';
import './messages.css';

export interface AppointmentRemindersProps {
  token: string;
  appointmentId: string;
  /** The clinic's zone: due and sent times are on its clock. */
  timeZone: string;
  /** A refused token; the host (dialog, view) signs the user out. */
  onUnauthorized?(): void;
}

export const remindersKey = (token: string, appointmentId: string) =>
  ['appointment-reminders', token, appointmentId] as const;

const PURPOSE_WORDS: Record<Reminder['purpose'], string> = {
  reminder: 'Reminder',
  opt_out_confirmation: 'Opt-out confirmation',
  opt_in_confirmation: 'Opt-in confirmation',
  help: 'Help answer',
};

/** What was planned for an appointment's reminders, what went, what did not and why. Embeddable. */
export function AppointmentReminders({
  token,
  appointmentId,
  timeZone,
  onUnauthorized,
}: AppointmentRemindersProps) {
  const origin = useApiOrigin();
  const headingId = useId();
  const reminders = useQuery({
    queryKey: remindersKey(token, appointmentId),
    queryFn: () => fetchReminders(token, appointmentId, origin),
  });
  const unauthorized = isUnauthorized(reminders.error);
  useEffect(() => {
    if (unauthorized) onUnauthorized?.();
  }, [unauthorized, onUnauthorized]);

  return (
    <section className="messages" aria-labelledby={headingId}>
      <h3 id={headingId}>Reminders</h3>
      {reminders.isPending && <p role="status">Loading the reminders…</p>}
      {reminders.isError && (
        <p className="banner banner-error" role="alert">
          Could not load the reminders.{' '}
          {describeMessagesProblem(reminders.error, 'This appointment')}
        </p>
      )}
      {reminders.data?.length === 0 && <p>No reminders are planned for this appointment.</p>}
      {reminders.data && reminders.data.length > 0 && (
        <ol className="messages-list" data-testid="reminder-log">
          {reminders.data.map((r) => (
            <li key={r.id} className={`messages-item messages-${r.status}`} data-testid="reminder">
              <p className="messages-title">
                {r.purpose === 'reminder' ? offsetWords(r.offset) : PURPOSE_WORDS[r.purpose]} ·{' '}
                {channelWords(r.channel)}
              </p>
              <p className="messages-outcome" data-testid="reminder-outcome">
                {reminderOutcome(r)}
              </p>
              <p className="muted">
                {r.dueAt ? (
                  <>
                    Due <time dateTime={r.dueAt}>{messageTime(r.dueAt, timeZone)}</time>
                  </>
                ) : (
                  'No due time'
                )}
                {r.movedForQuietHours && ' (moved out of quiet hours)'}
                {r.delayedForChangeGrace && ' (delayed after a change)'}
                {r.sentAt && (
                  <>
                    {'; sent '}
                    <time dateTime={r.sentAt}>{messageTime(r.sentAt, timeZone)}</time>
                  </>
                )}
                {r.attempts > 1 && `; ${r.attempts} attempts`}
              </p>
              {r.lastError && r.status !== 'sent' && (
                <p className="muted">Last error: {r.lastError}</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
