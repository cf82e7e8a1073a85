import { type Clinic, type SessionReviewRow } from '@tautline/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { ApiProblemError, describeProblem, isUnauthorized } from '../http/http.problem';
import { fetchSessionReview, fetchTelemetry } from './review.api';
import { AlertTable } from './review.alerts';
import { Charts, ResolutionPicker } from './review.charts';
import {
  ADVERSE_EVENT_WORDS,
  alertCountWords,
  clinicDateTime,
  durationWords,
  milliamps,
  muscleName,
  SESSION_STATUS_WORDS,
  SIDE_WORDS,
  WAVEFORM_WORDS,
} from './review.format';
import { SummarySection } from './review.summary';

interface SessionDetailProps {
  token: string;
  sessionId: string;
  /** Every clinic of the user: the session's own gives the zone its times are shown in. */
  allClinics: Clinic[];
  onUnauthorized(): void;
}

/** Words for a failed load, with the 404 of a session that is gone or not the user's. */
function loadProblem(error: unknown, what: string): string {
  if (error instanceof ApiProblemError && error.status === 404)
    return `This ${what} does not exist or is not in one of your clinics.`;
  return describeProblem(error);
}

export function SessionDetail({
  token,
  sessionId,
  allClinics,
  onUnauthorized,
}: SessionDetailProps) {
  const origin = useApiOrigin();
  const [resolution, setResolution] = useState<number | null>(null);
  const review = useQuery({
    queryKey: ['session-review', token, sessionId],
    queryFn: () => fetchSessionReview(token, sessionId, origin),
  });
  const telemetry = useQuery({
    queryKey: ['session-telemetry', token, sessionId, resolution],
    queryFn: () => fetchTelemetry(token, sessionId, resolution, origin),
    placeholderData: (previous) => previous,
  });

  const unauthorized = [review.error, telemetry.error].some(isUnauthorized);
  useEffect(() => {
    if (unauthorized) onUnauthorized();
  }, [unauthorized, onUnauthorized]);

  if (review.isPending) return <p role="status">Loading the session…</p>;
  if (review.isError) {
    return (
      <p className="banner banner-error" role="alert">
        Could not load the session. {loadProblem(review.error, 'session')}
      </p>
    );
  }
  const { session: data, alerts } = review.data;
  const clinic = allClinics.find((c) => c.id === data.clinicId);
  const timeZone = clinic?.timeZone ?? 'UTC';

  return (
    <article className="review-detail" aria-labelledby="review-session-heading">
      <h3 id="review-session-heading">
        {data.startedAt
          ? `Session of ${clinicDateTime(data.startedAt, timeZone)}`
          : 'Session not started'}
        {` at ${data.clinicName}`}
      </h3>
      {!clinic && (
        <p className="muted">Times are in UTC: the session’s clinic is not one of yours.</p>
      )}
      <SessionHeader session={data} />
      <SessionFacts session={data} timeZone={timeZone} />
      <AdverseEventRecord session={data} />
      <PlanTable session={data} />
      <SummarySection summary={data.summary} timeZone={timeZone} status={data.status} />
      <section className="review-section" aria-labelledby="review-charts-heading">
        <h4 id="review-charts-heading">Intensity and impedance over time</h4>
        <ResolutionPicker value={resolution} onChange={setResolution} review={telemetry.data} />
        {telemetry.isPending && <p role="status">Loading the telemetry…</p>}
        {telemetry.isError && (
          <p className="banner banner-error" role="alert">
            Could not load the telemetry. {loadProblem(telemetry.error, 'session')}
          </p>
        )}
        {telemetry.data && (
          <Charts session={data} review={telemetry.data} alerts={alerts} timeZone={timeZone} />
        )}
      </section>
      <section className="review-section" aria-labelledby="review-alerts-heading">
        <h4 id="review-alerts-heading">Alerts</h4>
        <AlertTable alerts={alerts} timeZone={timeZone} />
      </section>
    </article>
  );
}

/** Who and where: clinic, room, practitioner, patient initials, and how many alerts of each priority. */
function SessionHeader({ session }: { session: SessionReviewRow }) {
  const facts: [string, string, string][] = [
    ['Clinic', session.clinicName, 'session-clinic'],
    ['Room', session.roomName, 'session-room'],
    ['Practitioner', session.practitionerName, 'session-practitioner'],
    ['Patient', session.patientInitials, 'session-patient'],
    ['Alerts', alertCountWords(session.alertCounts), 'session-alert-count'],
  ];
  return (
    <dl className="review-facts review-header" data-testid="session-header">
      {facts.map(([term, value, testId]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function SessionFacts({ session, timeZone }: { session: SessionReviewRow; timeZone: string }) {
  return (
    <dl className="review-facts" data-testid="session-facts">
      <div>
        <dt>Status</dt>
        <dd>
          <span className={`review-status review-status-${session.status}`}>
            {SESSION_STATUS_WORDS[session.status]}
          </span>
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd data-testid="session-started">
          {session.startedAt ? clinicDateTime(session.startedAt, timeZone) : 'Not started'}
        </dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd data-testid="session-ended">
          {session.endedAt ? clinicDateTime(session.endedAt, timeZone) : 'Not ended'}
        </dd>
      </div>
      <div>
        <dt>Running time</dt>
        <dd data-testid="session-running-time">
          {durationWords(session.runningSeconds)} of {session.plan.plannedDurationMinutes} min
          planned
        </dd>
      </div>
    </dl>
  );
}

function AdverseEventRecord({ session }: { session: SessionReviewRow }) {
  const event = session.adverseEvent;
  return (
    <section
      className="review-section"
      aria-labelledby="review-adverse-heading"
      data-testid="adverse-event"
    >
      <h4 id="review-adverse-heading">Adverse event</h4>
      {event ? (
        <>
          <p className={event.kind === 'none' ? 'review-adverse-none' : 'review-adverse'}>
            <strong>{ADVERSE_EVENT_WORDS[event.kind]}</strong>
          </p>
          {event.notes ? (
            <p className="review-notes">{event.notes}</p>
          ) : (
            <p className="muted">No notes.</p>
          )}
        </>
      ) : (
        <p className="muted">
          {session.status === 'aborted'
            ? 'Not recorded: the session was aborted.'
            : 'Not recorded yet: it is recorded when the session is stopped.'}
        </p>
      )}
    </section>
  );
}

function PlanTable({ session }: { session: SessionReviewRow }) {
  return (
    <section className="review-section" aria-labelledby="review-plan-heading">
      <h4 id="review-plan-heading">Plan</h4>
      <div className="review-table-wrap">
        <table className="review-table" data-testid="session-plan">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Muscle</th>
              <th scope="col">Side</th>
              <th scope="col">Waveform</th>
              <th scope="col">Frequency</th>
              <th scope="col">Pulse width</th>
              <th scope="col">Ceiling</th>
            </tr>
          </thead>
          <tbody>
            {session.plan.channels.map((c) => (
              <tr key={c.channel}>
                <th scope="row">{c.channel}</th>
                <td>{muscleName(c.muscle)}</td>
                <td>{SIDE_WORDS[c.side]}</td>
                <td>{WAVEFORM_WORDS[c.waveform]}</td>
                <td>{c.frequencyHz} Hz</td>
                <td>{c.pulseWidthUs} µs</td>
                <td>{milliamps(c.intensityCeilingMa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
