import { type ViewProps } from '../shell/shell.view-props';
import { SessionDetail } from './review.detail';
import { SessionList } from './review.list';
import './review.css';

/**
 * Session review (`#/sessions`, `#/sessions/<id>`): the selected clinics' finished sessions, and
 * one session's plan, summary, charts, alerts and adverse-event record, on the clinic's clock.
 */
export function SessionReviewView({
  token,
  clinics,
  allClinics,
  onUnauthorized,
  sessionId,
}: ViewProps & { sessionId?: string | null }) {
  return (
    <section className="review" aria-labelledby="view-heading">
      <h2 id="view-heading">Session review</h2>
      {sessionId ? (
        <>
          <p>
            <a href="#/sessions">← All sessions</a>
          </p>
          <SessionDetail
            key={sessionId}
            token={token}
            sessionId={sessionId}
            allClinics={allClinics}
            onUnauthorized={onUnauthorized}
          />
        </>
      ) : (
        <SessionList token={token} clinics={clinics} onUnauthorized={onUnauthorized} />
      )}
    </section>
  );
}
