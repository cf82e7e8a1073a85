import { type SessionSummary, type TreatmentSession } from '@tautline/domain';
import {
  alertCountWords,
  channelTitle,
  clinicTimeOfDay,
  milliamps,
  oneDecimal,
} from './review.format';

/** The end-of-session record the worker built: samples, gaps, alerts and intensity per channel. */
export function SummarySection({
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
              <dd data-testid="summary-alerts">{alertCountWords(summary.alerts)}</dd>
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
