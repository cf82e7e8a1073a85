import {
  ALARM_PRESENTATION,
  alertHeadline,
  alertWhere,
  isSounding,
  needsAcknowledgement,
  type Alert,
} from '@tautline/domain';
import { useMutation } from '@tanstack/react-query';
import {
  memo,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import { useApiOrigin } from '../http/http.origin';
import { describeProblem, isUnauthorized } from '../http/http.problem';
import { ageWords, alertStatusWords, orderAlerts } from './board.alerts';
import { acknowledgeAlert } from './board.api';
import { clockWords, timeOfDay } from './board.format';
import { AlarmIcon } from './board.icon';
import { useBoardNow } from './board.clock';
import { useAlarmAudio, type AlarmAudio } from './board.sound';
import { type BoardStore } from './board.store';

interface TrayProps {
  store: BoardStore;
  token: string;
  user: { id: string; name: string };
  /** The role may acknowledge (`alert.acknowledge`); otherwise the tray is read-only. */
  canAcknowledge: boolean;
  onUnauthorized(): void;
  /** Scroll to and highlight the alert's tile. */
  onLocate(alert: Alert): void;
  /** A new critical alert just came: the tray flashes. */
  flashing: boolean;
  /** The latest critical alert, announced assertively. */
  announcement: string;
}

/** The alert tray: persistent and prioritised, with acknowledge-with-note and the timed audio pause. */
export function AlertTray({
  store,
  token,
  user,
  canAcknowledge,
  onUnauthorized,
  onLocate,
  flashing,
  announcement,
}: TrayProps) {
  // The tray owns the sound and the clock: alert bursts and ticks re-render it, not the board.
  const alerts = useSyncExternalStore(store.subscribeAlerts, store.alertsList);
  const now = useBoardNow();
  const audio = useAlarmAudio(alerts, now);
  const ordered = useMemo(() => orderAlerts(alerts), [alerts]);
  const sounding = ordered.filter(isSounding).length;

  return (
    <aside
      className={`board-tray${flashing ? ' board-tray-flash' : ''}`}
      aria-labelledby="board-tray-heading"
    >
      <header className="board-tray-head">
        <h3 id="board-tray-heading">
          Alerts{' '}
          <span className="board-count" data-testid="board-sounding-count">
            {sounding} sounding
          </span>
        </h3>
        <AudioControl audio={audio} />
      </header>
      {!canAcknowledge && (
        <p className="board-readonly" data-testid="board-readonly">
          View only: your role cannot acknowledge alerts.
        </p>
      )}
      {/* Always in the page so screen readers announce what is put in it. */}
      <p className="visually-hidden" role="alert" data-testid="board-announcer">
        {announcement}
      </p>
      {ordered.length === 0 ? (
        <p className="muted">No alerts.</p>
      ) : (
        <ul
          className="board-alerts"
          aria-label="Alerts, most urgent first"
          data-testid="board-alerts"
        >
          {ordered.map((alert) => (
            <AlertItem
              key={alert.id}
              alert={alert}
              now={now}
              token={token}
              user={user}
              canAcknowledge={canAcknowledge}
              hasTile={alert.sessionId !== null && store.session(alert.sessionId) !== undefined}
              store={store}
              onUnauthorized={onUnauthorized}
              onLocate={onLocate}
            />
          ))}
        </ul>
      )}
    </aside>
  );
}

/** Pause for 2 minutes, with the countdown; there is no permanent mute. */
function AudioControl({ audio }: { audio: AlarmAudio }) {
  const paused = audio.pausedMs > 0;
  return (
    <div
      className={`board-audio${paused ? ' board-audio-paused' : ''}`}
      data-testid="board-audio"
      data-state={paused ? 'paused' : 'on'}
      data-tone={audio.tone ?? 'none'}
    >
      {paused ? (
        <>
          <span role="timer">Audio paused {clockWords(Math.ceil(audio.pausedMs / 1000))}</span>
          <button type="button" className="button-secondary" onClick={audio.resume}>
            Resume audio
          </button>
        </>
      ) : (
        <>
          <span className="board-audio-state">Audio on</span>
          <button type="button" className="button-secondary" onClick={audio.pause}>
            Pause audio 2 min
          </button>
        </>
      )}
    </div>
  );
}

interface ItemProps {
  alert: Alert;
  now: number;
  token: string;
  user: { id: string; name: string };
  canAcknowledge: boolean;
  hasTile: boolean;
  store: BoardStore;
  onUnauthorized(): void;
  onLocate(alert: Alert): void;
}

const AlertItem = memo(function AlertItem({
  alert,
  now,
  token,
  user,
  canAcknowledge,
  hasTile,
  store,
  onUnauthorized,
  onLocate,
}: ItemProps) {
  const origin = useApiOrigin();
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const noteId = useId();
  const ackButton = useRef<HTMLButtonElement>(null);
  const ack = useMutation({
    mutationFn: () => acknowledgeAlert(token, alert.id, note, origin),
    onSuccess: (updated) => {
      store.upsertAlerts([updated]);
      setEditing(false);
      setNote('');
    },
    onError: (error) => {
      if (isUnauthorized(error)) onUnauthorized();
    },
  });
  const presentation = ALARM_PRESENTATION[alert.severity];
  const headline = alertHeadline(alert);
  const where = alertWhere(alert);
  // The form stays while the alert still wants a person, whatever its condition does meanwhile.
  const wanted = needsAcknowledgement(alert);
  const verb = alert.status === 'resolved' ? 'Dismiss' : 'Acknowledge';
  const by =
    alert.acknowledgedByName ?? (alert.acknowledgedBy === user.id ? user.name : 'a colleague');

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      ack.mutate();
    } else if (e.key === 'Escape') {
      setEditing(false);
      ackButton.current?.focus();
    }
  };

  return (
    <li
      className={`board-alert board-alert-${alert.severity} board-alert-${alert.status}${alert.escalatedAt ? ' board-alert-escalated' : ''}`}
      data-testid="board-alert"
      data-alert={alert.id}
      data-status={alert.status}
      data-severity={alert.severity}
    >
      <p className="board-alert-head">
        <AlarmIcon severity={alert.severity} />
        <span className="board-severity">{presentation.label}</span>
        <span className="board-alert-status" data-testid="board-alert-status">
          {alertStatusWords(alert)}
        </span>
        <span className="board-alert-age">
          <time dateTime={alert.raisedAt}>{ageWords(alert.raisedAt, now)} ago</time>
          {alert.occurrences > 1 ? ` · ${alert.occurrences}×` : ''}
        </span>
      </p>
      <p className="board-alert-message" data-testid="board-alert-message">
        {hasTile ? (
          <button
            type="button"
            className="board-alert-locate"
            onClick={() => onLocate(alert)}
            title="Show the session on the board"
          >
            {headline}
          </button>
        ) : (
          headline
        )}
      </p>
      {where && (
        <p className="board-alert-where" data-testid="board-alert-where">
          {where}
        </p>
      )}
      {alert.acknowledgedAt && (
        <p className="board-ack" data-testid="board-ack">
          Acknowledged by {by} at {timeOfDay(alert.acknowledgedAt)}
          {alert.acknowledgementNote ? ` — “${alert.acknowledgementNote}”` : ''}
        </p>
      )}
      {canAcknowledge && wanted && !editing && (
        <button
          ref={ackButton}
          type="button"
          className="button-primary board-ack-button"
          onClick={() => setEditing(true)}
          aria-label={`${verb}: ${headline}${where ? `, ${where}` : ''}`}
        >
          {verb}
        </button>
      )}
      {canAcknowledge && wanted && editing && (
        <form
          className="board-ack-form"
          onSubmit={(e) => {
            e.preventDefault();
            ack.mutate();
          }}
        >
          <label htmlFor={noteId}>Note (optional)</label>
          <textarea
            id={noteId}
            value={note}
            maxLength={500}
            rows={2}
            autoFocus
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={onKeyDown}
          />
          <div className="board-ack-actions">
            <button type="submit" className="button-primary" disabled={ack.isPending}>
              {ack.isPending
                ? `${verb === 'Dismiss' ? 'Dismissing' : 'Acknowledging'}…`
                : `Confirm ${verb.toLowerCase()}`}
            </button>
            <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
          {ack.isError && (
            <p className="field-error" role="alert">
              Could not {verb.toLowerCase()}. {describeProblem(ack.error)}
            </p>
          )}
        </form>
      )}
      {alert.status === 'resolved' && !wanted && (
        <button
          type="button"
          className="button-secondary"
          onClick={() => store.dismissAlert(alert.id)}
          aria-label={`Remove from this screen: ${headline}`}
        >
          Remove
        </button>
      )}
    </li>
  );
});
