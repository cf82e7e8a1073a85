import { type Alert } from '@tautline/domain';
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
import { useBoardNow } from './board.clock';
import { acknowledgeAlert } from './board.api';
import { timeOfDay } from './board.format';
import { type BoardStore } from './board.store';

interface TrayProps {
  store: BoardStore;
  token: string;
  user: { id: string; name: string };
  /** Room names by id, for alerts whose message does not say it. */
  roomNames: ReadonlyMap<string, string>;
  onUnauthorized(): void;
  /** A new critical alert just came: the tray flashes. */
  flashing: boolean;
  /** The latest critical alert, announced assertively. */
  announcement: string;
  muted: boolean;
  onMutedChange(muted: boolean): void;
}

/** The alert tray: persistent and prioritised, with acknowledge-with-note. */
export function AlertTray({
  store,
  token,
  user,
  roomNames,
  onUnauthorized,
  flashing,
  announcement,
  muted,
  onMutedChange,
}: TrayProps) {
  const alerts = useSyncExternalStore(store.subscribeAlerts, store.alertsList);
  const ordered = useMemo(() => orderAlerts(alerts), [alerts]);
  const now = useBoardNow();
  const openCount = ordered.filter((a) => a.status === 'open').length;

  return (
    <aside
      className={`board-tray${flashing ? ' board-tray-flash' : ''}`}
      aria-labelledby="board-tray-heading"
    >
      <header className="board-tray-head">
        <h3 id="board-tray-heading">
          Alerts <span className="board-count">{openCount} open</span>
        </h3>
        <label className="board-mute">
          <input
            type="checkbox"
            checked={muted}
            onChange={(e) => onMutedChange(e.target.checked)}
          />{' '}
          Mute sound on this screen
        </label>
      </header>
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
              roomName={alert.roomId === null ? undefined : roomNames.get(alert.roomId)}
              store={store}
              onUnauthorized={onUnauthorized}
            />
          ))}
        </ul>
      )}
    </aside>
  );
}

const SEVERITY_LABEL: Record<Alert['severity'], string> = {
  critical: 'Critical',
  warning: 'Warning',
  technical: 'Technical',
};

interface ItemProps {
  alert: Alert;
  now: number;
  token: string;
  user: { id: string; name: string };
  roomName: string | undefined;
  store: BoardStore;
  onUnauthorized(): void;
}

const AlertItem = memo(function AlertItem({
  alert,
  now,
  token,
  user,
  roomName,
  store,
  onUnauthorized,
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
  const mentionsRoom = roomName !== undefined && alert.message.includes(roomName);
  const by = alert.acknowledgedBy === user.id ? user.name : 'a colleague';

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
    >
      <p className="board-alert-head">
        <span className="board-severity">{SEVERITY_LABEL[alert.severity]}</span>
        <span className="board-alert-status" data-testid="board-alert-status">
          {alertStatusWords(alert)}
        </span>
        <span className="muted">
          <time dateTime={alert.raisedAt}>{ageWords(alert.raisedAt, now)} ago</time>
        </span>
      </p>
      <p className="board-alert-message" data-testid="board-alert-message">
        {!mentionsRoom && roomName ? `${roomName}: ` : ''}
        {alert.message}
      </p>
      {alert.acknowledgedAt && (
        <p className="board-ack" data-testid="board-ack">
          Acknowledged by {by} at {timeOfDay(alert.acknowledgedAt)}
          {alert.acknowledgementNote ? ` — “${alert.acknowledgementNote}”` : ''}
        </p>
      )}
      {alert.status === 'open' && !editing && (
        <button
          ref={ackButton}
          type="button"
          className="button-secondary"
          onClick={() => setEditing(true)}
          aria-label={`Acknowledge: ${alert.message}`}
        >
          Acknowledge
        </button>
      )}
      {alert.status === 'open' && editing && (
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
              {ack.isPending ? 'Acknowledging…' : 'Confirm acknowledge'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
          {ack.isError && (
            <p className="field-error" role="alert">
              Could not acknowledge. {describeProblem(ack.error)}
            </p>
          )}
        </form>
      )}
      {alert.status === 'resolved' && (
        <button
          type="button"
          className="button-secondary"
          onClick={() => store.dismissAlert(alert.id)}
          aria-label={`Dismiss: ${alert.message}`}
        >
          Dismiss
        </button>
      )}
    </li>
  );
});
