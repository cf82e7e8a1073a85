import { type Clinic, type SessionReviewRow } from '@tautline/domain';
import { useQueries } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { describeProblem, isUnauthorized } from '../http/http.problem';
import { fetchSessionReviews, type SessionFilter } from './review.api';
import {
  ADVERSE_EVENT_WORDS,
  alertCountWords,
  clinicDateTime,
  durationWords,
  muscleName,
  SESSION_STATUS_WORDS,
} from './review.format';

interface SessionListProps {
  token: string;
  clinics: Clinic[];
  onUnauthorized(): void;
}

const FILTERS: { value: SessionFilter; label: string }[] = [
  { value: 'completed', label: 'Completed' },
  { value: 'aborted', label: 'Aborted' },
  { value: 'all', label: 'All' },
];

export const sessionsKey = (token: string, clinicId: string, filter: SessionFilter) =>
  ['session-reviews', token, clinicId, filter] as const;

const startOf = (s: SessionReviewRow) => Date.parse(s.startedAt ?? s.createdAt);

/** The selected clinics' sessions, newest first, each linking to its review. */
export function SessionList({ token, clinics, onUnauthorized }: SessionListProps) {
  const origin = useApiOrigin();
  const [filter, setFilter] = useState<SessionFilter>('completed');
  const name = useId();
  const results = useQueries({
    queries: clinics.map((clinic) => ({
      queryKey: sessionsKey(token, clinic.id, filter),
      queryFn: () => fetchSessionReviews(token, clinic.id, filter, origin),
    })),
  });

  const unauthorized = results.some((r) => isUnauthorized(r.error));
  useEffect(() => {
    if (unauthorized) onUnauthorized();
  }, [unauthorized, onUnauthorized]);

  const rows = results
    .flatMap((r, i) => (r.data ?? []).map((session) => ({ session, clinic: clinics[i]! })))
    .sort((a, b) => startOf(b.session) - startOf(a.session));
  const pending = results.some((r) => r.isPending);
  const failed = results
    .map((r, i) => ({ error: r.error, clinic: clinics[i]! }))
    .filter((f) => f.error && !isUnauthorized(f.error));

  if (clinics.length === 0) return <p>Select a clinic to see its sessions.</p>;

  return (
    <>
      <fieldset className="review-filter">
        <legend>Show</legend>
        {FILTERS.map((f) => (
          <label key={f.value}>
            <input
              type="radio"
              name={name}
              value={f.value}
              checked={filter === f.value}
              onChange={() => setFilter(f.value)}
            />
            {f.label}
          </label>
        ))}
      </fieldset>
      {failed.map(({ error, clinic }) => (
        <p key={clinic.id} className="banner banner-error" role="alert">
          Could not load the sessions of {clinic.name}. {describeProblem(error)}
        </p>
      ))}
      {pending && <p role="status">Loading sessions…</p>}
      {!pending && rows.length === 0 && failed.length === 0 && (
        <p>{filter === 'all' ? 'No sessions yet.' : `No ${filter} sessions.`}</p>
      )}
      {rows.length > 0 && (
        <div className="review-table-wrap">
          <table className="review-table" data-testid="session-list">
            <caption className="visually-hidden">Sessions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Where</th>
                <th scope="col">Who</th>
                <th scope="col">Running time</th>
                <th scope="col">Muscles</th>
                <th scope="col">Alerts</th>
                <th scope="col">Adverse event</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ session, clinic }) => (
                <tr key={session.id}>
                  <th scope="row">
                    <a href={`#/sessions/${session.id}`}>
                      {session.startedAt
                        ? clinicDateTime(session.startedAt, clinic.timeZone)
                        : 'Not started'}
                    </a>{' '}
                    <span className={`review-block review-status review-status-${session.status}`}>
                      {SESSION_STATUS_WORDS[session.status]}
                    </span>
                  </th>
                  <td>
                    {session.clinicName}{' '}
                    <span className="review-sub" data-testid="list-room">
                      {session.roomName}
                    </span>
                  </td>
                  <td>
                    <span data-testid="list-practitioner">{session.practitionerName}</span>{' '}
                    <span className="review-sub">Patient {session.patientInitials}</span>
                  </td>
                  <td>{durationWords(session.runningSeconds)}</td>
                  <td>
                    {[...new Set(session.plan.channels.map((c) => muscleName(c.muscle)))].join(
                      ', ',
                    )}
                  </td>
                  <td data-testid="list-alerts">
                    {session.alertCounts.total === 0 ? (
                      'None'
                    ) : (
                      <>
                        <strong
                          className={session.alertCounts.critical > 0 ? 'review-over' : undefined}
                        >
                          {session.alertCounts.total}{' '}
                          {session.alertCounts.total === 1 ? 'alert' : 'alerts'}
                        </strong>{' '}
                        <span className="review-sub">{alertCountWords(session.alertCounts)}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {session.adverseEvent
                      ? ADVERSE_EVENT_WORDS[session.adverseEvent.kind]
                      : 'Not recorded'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
