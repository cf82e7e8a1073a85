import {
  allowedSessionEvents,
  can,
  maySessionBeOperatedBy,
  type AdverseEvent,
  type LiveSession,
  type Role,
} from '@tautline/domain';
import { createContext, memo, useContext, useState, type ReactNode } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { commandSession, explainCommandProblem, type TileCommand } from './board.actions.api';
import { AdverseEventDialog } from './board.adverse-event';
import './board.actions.css';

interface Operator {
  token: string;
  userId: string;
}

const OperatorContext = createContext<Operator | null>(null);

/** Who operates sessions from this board: wrap the board once, so tiles need no token prop. */
export function SessionOperatorProvider({
  token,
  userId,
  children,
}: Operator & { children: ReactNode }) {
  return <OperatorContext.Provider value={{ token, userId }}>{children}</OperatorContext.Provider>;
}

const BUTTONS: { command: TileCommand; label: string; busy: string }[] = [
  { command: 'start', label: 'Start', busy: 'Starting…' },
  { command: 'pause', label: 'Pause', busy: 'Pausing…' },
  { command: 'resume', label: 'Resume', busy: 'Resuming…' },
  { command: 'stop', label: 'Stop', busy: 'Stopping…' },
];

interface Props {
  session: LiveSession;
  role: Role;
  /**
   * The account of the session's practitioner, when the caller knows it: a practitioner then sees
   * controls only on their own sessions. Without it the API decides and its refusal is shown.
   */
  treatingUserId?: string | null;
}

/**
 * Start (ready), Pause/Stop (running), Resume/Stop (paused) in a tile. Hidden for roles that may
 * not operate e-stim; stop asks for the adverse-event record first. The board follows the
 * session's real state from the live feed; the buttons only send the command.
 */
export const SessionActions = memo(function SessionActions({
  session,
  role,
  treatingUserId,
}: Props) {
  const operator = useContext(OperatorContext);
  const origin = useApiOrigin();
  const [busy, setBusy] = useState<TileCommand | null>(null);
  // Shown only while the session is still in the state the refused command was sent from.
  const [error, setError] = useState<{ words: string; status: string } | null>(null);
  const [stopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<string | null>(null);

  if (!operator || !can(role, 'session.operate')) return null;
  if (
    treatingUserId !== undefined &&
    !maySessionBeOperatedBy({ userId: operator.userId, role }, treatingUserId).ok
  )
    return null;
  const allowed = allowedSessionEvents(session.status);
  const buttons = BUTTONS.filter((b) => allowed.includes(b.command));
  if (buttons.length === 0) return null;
  const auth = { token: operator.token, origin };
  const where = `${session.roomName} · ${session.patientInitials}`;

  async function send(command: TileCommand, adverseEvent?: AdverseEvent) {
    setBusy(command);
    setError(null);
    setStopError(null);
    try {
      await commandSession(auth, session.sessionId, command, adverseEvent);
      if (command === 'stop') setStopping(false);
    } catch (e) {
      const words = explainCommandProblem(command, e);
      if (command === 'stop') setStopError(words);
      else setError({ words, status: session.status });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div
      className="session-actions"
      role="group"
      aria-label={`Operate the session in ${session.roomName}`}
    >
      <div className="session-actions-row">
        {buttons.map((b) => (
          <button
            key={b.command}
            type="button"
            className={`session-action session-action-${b.command}`}
            disabled={busy !== null}
            aria-label={`${b.label} the session in ${session.roomName}`}
            onClick={() => (b.command === 'stop' ? setStopping(true) : void send(b.command))}
          >
            {busy === b.command ? b.busy : b.label}
          </button>
        ))}
      </div>
      {error && error.status === session.status && (
        <p className="session-actions-error" role="alert">
          {error.words}
        </p>
      )}
      {stopping && (
        <AdverseEventDialog
          where={where}
          busy={busy === 'stop'}
          error={stopError}
          onSubmit={(event) => void send('stop', event)}
          onCancel={() => {
            setStopping(false);
            setStopError(null);
          }}
        />
      )}
    </div>
  );
}, sameControls);

// Readings arrive several times a second; the controls depend on the status and the names only.
function sameControls(a: Props, b: Props): boolean {
  return (
    a.role === b.role &&
    a.treatingUserId === b.treatingUserId &&
    a.session.sessionId === b.session.sessionId &&
    a.session.status === b.session.status &&
    a.session.roomName === b.session.roomName &&
    a.session.patientInitials === b.session.patientInitials
  );
}
