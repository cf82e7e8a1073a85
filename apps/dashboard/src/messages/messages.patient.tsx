import { useQuery } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { isUnauthorized } from '../http/http.problem';
import { fetchPatientMessages } from './messages.api';
import { KEYWORD_WORDS, messageTime, OUTCOME_WORDS } from './messages.format';
import { describeMessagesProblem } from './messages.problem';
import './messages.css';

export interface PatientMessagesProps {
  token: string;
  patientId: string;
  /** The patient's clinic's zone, when the host knows it; otherwise times are the browser's, zone named. */
  timeZone?: string;
  onUnauthorized?(): void;
}

export const patientMessagesKey = (token: string, patientId: string) =>
  ['patient-messages', token, patientId] as const;

/** A patient's opt-out state and their text replies to reminders, newest first. Embeddable. */
export function PatientMessages({
  token,
  patientId,
  timeZone,
  onUnauthorized,
}: PatientMessagesProps) {
  const origin = useApiOrigin();
  const headingId = useId();
  const messages = useQuery({
    queryKey: patientMessagesKey(token, patientId),
    queryFn: () => fetchPatientMessages(token, patientId, origin),
  });
  const unauthorized = isUnauthorized(messages.error);
  useEffect(() => {
    if (unauthorized) onUnauthorized?.();
  }, [unauthorized, onUnauthorized]);

  const optOut = (at: string | null, what: string) =>
    at ? (
      <>
        Opted out of {what} on <time dateTime={at}>{messageTime(at, timeZone)}</time>
      </>
    ) : (
      `Receives ${what}`
    );

  return (
    <section className="messages" aria-labelledby={headingId}>
      <h3 id={headingId}>Messages from the patient</h3>
      {messages.isPending && <p role="status">Loading the patient’s messages…</p>}
      {messages.isError && (
        <p className="banner banner-error" role="alert">
          Could not load the patient’s messages.{' '}
          {describeMessagesProblem(messages.error, 'This patient')}
        </p>
      )}
      {messages.data && (
        <>
          <ul className="messages-optouts" data-testid="opt-outs">
            <li className={messages.data.smsOptedOutAt ? 'messages-opted-out' : undefined}>
              {optOut(messages.data.smsOptedOutAt, 'text messages')}
            </li>
            <li className={messages.data.emailOptedOutAt ? 'messages-opted-out' : undefined}>
              {optOut(messages.data.emailOptedOutAt, 'emails')}
            </li>
          </ul>
          {messages.data.replies.length === 0 ? (
            <p>No replies.</p>
          ) : (
            <div className="messages-table-wrap">
              <table className="messages-table" data-testid="replies">
                <caption className="visually-hidden">Replies, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Received</th>
                    <th scope="col">Keyword</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Text</th>
                  </tr>
                </thead>
                <tbody>
                  {messages.data.replies.map((reply) => (
                    <tr key={reply.id}>
                      <th scope="row">
                        <time dateTime={reply.receivedAt}>
                          {messageTime(reply.receivedAt, timeZone)}
                        </time>
                      </th>
                      <td>{KEYWORD_WORDS[reply.keyword]}</td>
                      <td>{OUTCOME_WORDS[reply.outcome]}</td>
                      <td className="messages-text">{reply.text}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
