import {
  BUCKET_SIZES_MS,
  type Alert,
  type Clinic,
  type SessionSummary,
  type TreatmentSession,
} from '@tautline/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { ApiProblemError, describeProblem, isUnauthorized } from '../http/http.problem';
import {
  fetchSession,
  fetchSessionAlerts,
  fetchTelemetry,
  type TelemetryReview,
} from './review.api';
import { IntensityChart } from './review.chart';
import {
  ADVERSE_EVENT_WORDS,
  ALERT_KIND_WORDS,
  channelSeries,
  channelTitle,
  clinicDateTime,
  clinicTimeOfDay,
  durationWords,
  milliamps,
  muscleName,
  oneDecimal,
  SESSION_STATUS_WORDS,
  SEVERITY_WORDS,
  SIDE_WORDS,
  WAVEFORM_WORDS,
} from './review.format';

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
  const session = useQuery({
    queryKey: ['session', token, sessionId],
    queryFn: () => fetchSession(token, sessionId, origin),
  });
  const alerts = useQuery({
    queryKey: ['session-alerts', token, sessionId],
    queryFn: () => fetchSessionAlerts(token, sessionId, origin),
  });
  const telemetry = useQuery({
    queryKey: ['session-telemetry', token, sessionId, resolution],
    queryFn: () => fetchTelemetry(token, sessionId, resolution, origin),
    placeholderData: (previous) => previous,
  });

  const unauthorized = [session.error, alerts.error, telemetry.error].some(isUnauthorized);
  useEffect(() => {
    if (unauthorized) onUnauthorized();
  }, [unauthorized, onUnauthorized]);

  if (session.isPending) return <p role="status">Loading the session…</p>;
  if (session.isError) {
    return (
      <p className="banner banner-error" role="alert">
        Could not load the session. {loadProblem(session.error, 'session')}
      </p>
    );
  }
  const data = session.data;
  const clinic = allClinics.find((c) => c.id === data.clinicId);
  const timeZone = clinic?.timeZone ?? 'UTC';

  return (
    <article className="review-detail" aria-labelledby="review-session-heading">
      <h3 id="review-session-heading">
        {data.startedAt
          ? `Session of ${clinicDateTime(data.startedAt, timeZone)}`
          : 'Session not started'}
        {clinic ? ` at ${clinic.name}` : ''}
      </h3>
      {!clinic && (
        <p className="muted">Times are in UTC: the session’s clinic is not one of yours.</p>
      )}
      <SessionFacts session={data} timeZone={timeZone} />
      <AdverseEventRecord session={data} />
      <PlanTable session={data} />
      <SummarySection summary={data.summary} timeZone={timeZone} status={data.status} />
      <section className="review-section" aria-labelledby="review-charts-heading">
        <h4 id="review-charts-heading">Intensity over time</h4>
        <ResolutionPicker value={resolution} onChange={setResolution} review={telemetry.data} />
        {telemetry.isPending && <p role="status">Loading the telemetry…</p>}
        {telemetry.isError && (
          <p className="banner banner-error" role="alert">
            Could not load the telemetry. {loadProblem(telemetry.error, 'session')}
          </p>
        )}
        {telemetry.data && <Charts session={data} review={telemetry.data} timeZone={timeZone} />}
      </section>
      <section className="review-section" aria-labelledby="review-alerts-heading">
        <h4 id="review-alerts-heading">Alerts</h4>
        {alerts.isPending && <p role="status">Loading the alerts…</p>}
        {alerts.isError && (
          <p className="banner banner-error" role="alert">
            Could not load the alerts. {loadProblem(alerts.error, 'session')}
          </p>
        )}
        {alerts.data && <AlertTable alerts={alerts.data} timeZone={timeZone} />}
      </section>
    </article>
  );
}

function SessionFacts({ session, timeZone }: { session: TreatmentSession; timeZone: string }) {
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

function AdverseEventRecord({ session }: { session: TreatmentSession }) {
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

function PlanTable({ session }: { session: TreatmentSession }) {
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

function SummarySection({
  summary,
  timeZone,
  status,
}: {
  summary: SessionSummary | null;
  timeZone: string;
  status: TreatmentSession['status'];
}) {
  return (
    <section
      className="review-section"
      aria-labelledby="review-summary-heading"
      data-testid="session-summary"
    >
      <h4 id="review-summary-heading">Summary</h4>
      {!summary ? (
        <p className="muted">
          {status === 'completed' || status === 'aborted'
            ? 'No summary was stored for this session.'
            : 'The summary is written when the session ends.'}
        </p>
      ) : (
        <>
          <dl className="review-facts">
            <div>
              <dt>Samples</dt>
              <dd data-testid="summary-samples">{summary.samples}</dd>
            </div>
            <div>
              <dt>Longest gap</dt>
              <dd data-testid="summary-longest-gap">{oneDecimal(summary.longestGapSeconds)} s</dd>
            </div>
            <div>
              <dt>Alerts</dt>
              <dd data-testid="summary-alerts">
                {summary.alerts.critical} critical, {summary.alerts.warning}{' '}
                {summary.alerts.warning === 1 ? 'warning' : 'warnings'}
              </dd>
            </div>
            <div>
              <dt>Telemetry</dt>
              <dd>
                {summary.firstSampleAt && summary.lastSampleAt
                  ? `${clinicTimeOfDay(summary.firstSampleAt, timeZone)} to ${clinicTimeOfDay(summary.lastSampleAt, timeZone)}`
                  : 'None received'}
              </dd>
            </div>
          </dl>
          <div className="review-table-wrap">
            <table className="review-table" data-testid="summary-channels">
              <caption className="visually-hidden">Intensity per channel</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Max intensity</th>
                  <th scope="col">Mean intensity</th>
                  <th scope="col">Ceiling</th>
                  <th scope="col">Time above ceiling</th>
                  <th scope="col">Readings</th>
                </tr>
              </thead>
              <tbody>
                {summary.channels.map((c) => (
                  <tr key={c.channel}>
                    <th scope="row">{channelTitle(c)}</th>
                    <td
                      className={
                        c.maxIntensityMa !== null && c.maxIntensityMa > c.intensityCeilingMa
                          ? 'review-over'
                          : undefined
                      }
                    >
                      {milliamps(c.maxIntensityMa)}
                    </td>
                    <td>{milliamps(c.avgIntensityMa)}</td>
                    <td>{milliamps(c.intensityCeilingMa)}</td>
                    <td className={c.secondsAboveCeiling > 0 ? 'review-over' : undefined}>
                      {oneDecimal(c.secondsAboveCeiling)} s
                    </td>
                    <td>{c.readings}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const RESOLUTIONS = BUCKET_SIZES_MS.filter((ms) => ms >= 1000 && ms <= 300_000);
const bucketWords = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);

function ResolutionPicker({
  value,
  onChange,
  review,
}: {
  value: number | null;
  onChange(value: number | null): void;
  review?: TelemetryReview;
}) {
  const id = useId();
  return (
    <p className="review-resolution">
      <label htmlFor={id}>Bucket</label>{' '}
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">
          Automatic{value === null && review ? ` (${bucketWords(review.bucketMs)})` : ''}
        </option>
        {RESOLUTIONS.map((ms) => (
          <option key={ms} value={ms}>
            {bucketWords(ms)}
          </option>
        ))}
      </select>
      {review && (
        <span className="muted" data-testid="telemetry-extent">
          {' '}
          {review.samples} samples; each point is the min, mean and max of{' '}
          {bucketWords(review.bucketMs)}.
        </span>
      )}
    </p>
  );
}

function Charts({
  session,
  review,
  timeZone,
}: {
  session: TreatmentSession;
  review: TelemetryReview;
  timeZone: string;
}) {
  const series = useMemo(
    () =>
      session.plan.channels.map((c) => ({
        plan: c,
        series: channelSeries(review.points, c.channel),
      })),
    [session.plan.channels, review.points],
  );
  if (review.points.length === 0) return <p>No telemetry was stored for this session.</p>;
  return (
    <div className="review-charts">
      {series.map(({ plan, series: s }) => {
        const peak = s.max.length ? Math.max(...s.max) : null;
        const description =
          peak === null
            ? `${channelTitle(plan)}: no readings.`
            : `${channelTitle(plan)}: intensity from ${milliamps(Math.min(...s.min))} to ${milliamps(peak)} over ${s.x.length} points; ceiling ${milliamps(plan.intensityCeilingMa)}${peak > plan.intensityCeilingMa ? ', exceeded' : ', never exceeded'}.`;
        return (
          <IntensityChart
            key={plan.channel}
            title={channelTitle(plan)}
            series={s}
            ceilingMa={plan.intensityCeilingMa}
            timeZone={timeZone}
            description={description}
          />
        );
      })}
    </div>
  );
}

function AlertTable({ alerts, timeZone }: { alerts: Alert[]; timeZone: string }) {
  if (alerts.length === 0) return <p>No alerts were raised.</p>;
  const at = (instant: string | null) => (instant ? clinicTimeOfDay(instant, timeZone) : '—');
  return (
    <div className="review-table-wrap">
      <table className="review-table" data-testid="session-alerts">
        <thead>
          <tr>
            <th scope="col">Alert</th>
            <th scope="col">Severity</th>
            <th scope="col">Message</th>
            <th scope="col">Raised</th>
            <th scope="col">Resolved</th>
            <th scope="col">Acknowledged</th>
            <th scope="col">Escalated</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {[...alerts]
            .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt))
            .map((a) => (
              <tr key={a.id}>
                <th scope="row">{ALERT_KIND_WORDS[a.kind]}</th>
                <td>
                  <span className={`review-severity review-severity-${a.severity}`}>
                    {SEVERITY_WORDS[a.severity]}
                  </span>
                </td>
                <td>{a.message}</td>
                <td>{at(a.raisedAt)}</td>
                <td>{at(a.resolvedAt)}</td>
                <td>{at(a.acknowledgedAt)}</td>
                <td>{at(a.escalatedAt)}</td>
                <td>{a.acknowledgementNote ?? '—'}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
