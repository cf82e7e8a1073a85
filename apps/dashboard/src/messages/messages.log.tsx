import { useQuery } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { isUnauthorized } from '../http/http.problem';
import { fetchMessageLog } from './messages.api';
import { channelWords, messageTime } from './messages.format';
import { describeMessagesProblem } from './messages.problem';
import './messages.css';

export interface MessageLogProps {
  token: string;
  clinicId: string;
  /** The clinic's zone for the logged times; otherwise the browser's, zone named. */
  timeZone?: string;
  limit?: number;
  onUnauthorized?(): void;
}

/** The messages the `log` channel stored instead of sending (the local default), newest first. */
export function MessageLog({
  token,
  clinicId,
  timeZone,
  limit = 50,
  onUnauthorized,
}: MessageLogProps) {
  const origin = useApiOrigin();
  const headingId = useId();
  const log = useQuery({
    queryKey: ['message-log', token, clinicId, limit],
    queryFn: () => fetchMessageLog(token, clinicId, limit, origin),
  });
  const unauthorized = isUnauthorized(log.error);
  useEffect(() => {
    if (unauthorized) onUnauthorized?.();
  }, [unauthorized, onUnauthorized]);

  return (
    <section className="messages" aria-labelledby={headingId}>
      <h3 id={headingId}>Message log</h3>
      {log.isPending && <p role="status">Loading the message log…</p>}
      {log.isError && (
        <p className="banner banner-error" role="alert">
          Could not load the message log. {describeMessagesProblem(log.error, 'This clinic')}
        </p>
      )}
      {log.data?.length === 0 && <p>No messages logged.</p>}
      {log.data && log.data.length > 0 && (
        <ol className="messages-list" data-testid="message-log">
          {log.data.map((m) => (
            <li key={m.reminderId} className="messages-item">
              <p className="messages-title">
                {channelWords(m.channel)} to {m.destination} ·{' '}
                <time dateTime={m.loggedAt}>{messageTime(m.loggedAt, timeZone)}</time>
              </p>
              {m.subject && <p className="messages-subject">{m.subject}</p>}
              <p className="messages-text">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
