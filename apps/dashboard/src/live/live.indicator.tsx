import { DateTime } from 'luxon';
import { liveStatusLabel, type LiveState } from './live.state';

/** Browser-local wall clock ("14:05:09"): the user's own time, not a clinic's. */
export function formatLastUpdate(iso: string): string {
  return DateTime.fromISO(iso).toFormat('HH:mm:ss');
}

export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <div className="live">
      {/* Only the label lives inside the status region, so it reads exactly "Live" when connected. */}
      <span
        className={`live-status live-${state.status}`}
        data-testid="live-status"
        data-state={state.status}
        role="status"
        aria-live="polite"
      >
        <span className="live-dot" aria-hidden="true" />
        {liveStatusLabel(state)}
      </span>
      <span className="live-updated muted" data-testid="live-last-update">
        {state.lastUpdateAt ? (
          <>
            Last update{' '}
            <time dateTime={state.lastUpdateAt}>{formatLastUpdate(state.lastUpdateAt)}</time>
          </>
        ) : (
          'No live updates yet'
        )}
        {state.status === 'offline' && state.reason ? ` · ${state.reason}` : null}
      </span>
    </div>
  );
}
