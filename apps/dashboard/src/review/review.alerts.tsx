import { type ReviewAlert } from '@tautline/domain';
import { ALERT_KIND_WORDS, clinicTimeOfDay, SEVERITY_WORDS } from './review.format';
import { MarkerShape } from './review.marker';

/** Who acknowledged (or dismissed) an alert and when, with the note; every one, oldest first. */
function Acknowledgements({ alert, at }: { alert: ReviewAlert; at(instant: string): string }) {
  const history =
    alert.acknowledgements.length > 0
      ? alert.acknowledgements
      : // A row acknowledged before the history was kept: its one acknowledgement.
        alert.acknowledgedAt && alert.acknowledgedBy
        ? [
            {
              at: alert.acknowledgedAt,
              byUserId: alert.acknowledgedBy,
              byName: alert.acknowledgedByName,
              note: alert.acknowledgementNote,
              kind: 'acknowledged' as const,
            },
          ]
        : [];
  if (history.length === 0) return <span className="review-unacknowledged">Not acknowledged</span>;
  return (
    <ul className="review-acks">
      {history.map((a) => (
        <li key={`${a.at}-${a.byUserId}`}>
          <span className="review-ack-when">
            {a.kind === 'dismissed' ? 'Dismissed' : 'Acknowledged'} {at(a.at)}
          </span>{' '}
          by {a.byName ?? 'a former user'}
          {a.note && <span className="review-ack-note">“{a.note}”</span>}
        </li>
      ))}
    </ul>
  );
}

/** The session's alerts in the order raised: what, how urgent, when it held, who acknowledged. */
export function AlertTable({ alerts, timeZone }: { alerts: ReviewAlert[]; timeZone: string }) {
  if (alerts.length === 0) return <p>No alerts were raised.</p>;
  const at = (instant: string) => clinicTimeOfDay(instant, timeZone);
  const maybe = (instant: string | null) => (instant ? at(instant) : 'never');
  return (
    <div className="review-table-wrap">
      <table className="review-table" data-testid="session-alerts">
        <thead>
          <tr>
            <th scope="col">Raised</th>
            <th scope="col">Alert</th>
            <th scope="col">Afterwards</th>
            <th scope="col">Acknowledgements</th>
          </tr>
        </thead>
        <tbody>
          {[...alerts]
            .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt))
            .map((a) => (
              <tr key={a.id} data-review-alert={a.id}>
                <th scope="row" className="review-nowrap">
                  {at(a.raisedAt)}
                </th>
                <td className="review-alert-what">
                  <span className={`review-severity review-severity-${a.severity}`}>
                    <MarkerShape severity={a.severity} /> {SEVERITY_WORDS[a.severity]}
                  </span>{' '}
                  <strong>{ALERT_KIND_WORDS[a.kind]}</strong>{' '}
                  <span className="review-sub">{a.message}</span>
                  {a.occurrences > 1 && (
                    <span className="review-sub">Came back {a.occurrences - 1}×</span>
                  )}
                </td>
                <td>
                  <ul className="review-timeline">
                    <li>Condition cleared {maybe(a.clearedAt)}</li>
                    <li>
                      {a.status === 'latched'
                        ? 'Cleared — not acknowledged'
                        : `Closed ${maybe(a.resolvedAt)}`}
                    </li>
                    {a.escalatedAt && (
                      <li className="review-over">Escalated {at(a.escalatedAt)}</li>
                    )}
                  </ul>
                </td>
                <td>
                  <Acknowledgements alert={a} at={at} />
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
