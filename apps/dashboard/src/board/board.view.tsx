import {
  alertHeadline,
  can,
  type Alert,
  type Clinic,
  type Room,
  type Role,
} from '@tautline/domain';
import { useQueries } from '@tanstack/react-query';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { useApiOrigin } from '../http/http.origin';
import { describeProblem, isUnauthorized } from '../http/http.problem';
import { useLiveEvent } from '../live/live.bus';
import { type LiveState, type LiveStatus } from '../live/live.state';
import { type ViewProps } from '../shell/shell.view-props';
import { fetchLiveSessions, fetchRooms, fetchUnresolvedAlerts } from './board.api';
import { SessionOperatorProvider } from './board.actions';
import { timeOfDay } from './board.format';
import { reorderChildren } from './board.reorder';
import { BoardStore, type BoardEntry } from './board.store';
import { SessionTile } from './board.tile';
import { AlertTray } from './board.tray';
import 'uplot/dist/uPlot.min.css';
import './board.css';

type BoardProps = ViewProps & {
  sessionId?: string | null;
  /** The shell's live connection state; when absent, the board reads the shell's live indicator. */
  live?: LiveState;
};

/**
 * The supervisor live board: every room of the selected clinics as a tile, live, and the alert tray.
 * Memoised: the shell re-renders on every live event, the board does not.
 */
export const LiveBoardView = memo(function LiveBoardView(props: BoardProps) {
  return <Board {...props} />;
});

function Board({ token, user, clinics, onUnauthorized, live }: BoardProps) {
  const origin = useApiOrigin();
  const clinicIds = useMemo(() => clinics.map((c) => c.id), [clinics]);
  const clinicKey = clinicIds.join(',');
  const [flashing, setFlashing] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const flashTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetchRef = useRef<(ids: readonly string[]) => void>(() => undefined);
  // The latest callback without refetching when a parent passes a new function.
  const unauthorizedRef = useRef(onUnauthorized);
  // A renewed token (same user) must not re-fetch the board: requests read the latest one.
  const tokenRef = useRef(token);
  useEffect(() => {
    unauthorizedRef.current = onUnauthorized;
    tokenRef.current = token;
  });

  const onCritical = useCallback((alert: Alert) => {
    setAnnouncement(`Critical alert: ${alertHeadline(alert)}`);
    setFlashing(true);
    if (flashTimer.current) clearTimeout(flashTimer.current);
    flashTimer.current = setTimeout(() => setFlashing(false), 1600);
  }, []);
  const onCriticalRef = useRef(onCritical);
  useEffect(() => {
    onCriticalRef.current = onCritical;
  });

  const [store] = useState(
    () =>
      new BoardStore({
        onGap: (ids) => refetchRef.current(ids),
        onCritical: (alert) => onCriticalRef.current(alert),
      }),
  );
  useEffect(
    () => () => {
      store.dispose();
      if (flashTimer.current) clearTimeout(flashTimer.current);
    },
    [store],
  );

  // Snapshot over REST: on mount, on a new clinic selection, on an updateSeq gap and after a reconnect.
  const refetch = useCallback(
    (ids: readonly string[]) => {
      for (const id of ids) {
        fetchLiveSessions(tokenRef.current, id, origin).then(
          (sessions) => {
            store.applySnapshot([id], sessions);
            setProblem(null);
          },
          (error: unknown) => {
            if (isUnauthorized(error)) unauthorizedRef.current();
            else setProblem(`Could not load the live sessions. ${describeProblem(error)}`);
          },
        );
      }
    },
    [origin, store],
  );
  useEffect(() => {
    refetchRef.current = refetch;
  });
  // Unresolved alerts over REST: on mount, a new clinic selection and after a reconnect (a latched
  // alert of a session that ended meanwhile is in no session's snapshot).
  const refetchAlerts = useCallback(
    (ids: readonly string[]) => {
      for (const id of ids) {
        fetchUnresolvedAlerts(tokenRef.current, id, origin).then(
          (alerts) => store.upsertAlerts(alerts),
          (error: unknown) => {
            if (isUnauthorized(error)) unauthorizedRef.current();
            else setProblem(`Could not load the alerts. ${describeProblem(error)}`);
          },
        );
      }
    },
    [origin, store],
  );
  useEffect(() => {
    const ids = clinicKey ? clinicKey.split(',') : [];
    refetch(ids);
    refetchAlerts(ids);
  }, [clinicKey, refetch, refetchAlerts]);

  const selected = useMemo(() => new Set(clinicIds), [clinicIds]);
  useLiveEvent('sessions.snapshot', ({ clinicIds: ids, sessions }) => {
    store.applySnapshot(
      ids.filter((id) => selected.has(id)),
      sessions.filter((s) => selected.has(s.clinicId)),
    );
  });
  useLiveEvent('session.updated', (session) => {
    if (selected.has(session.clinicId)) store.receive(session);
  });
  const onAlert = ({ alert }: { alert: Alert }) => {
    if (selected.has(alert.clinicId)) store.receiveAlert(alert);
  };
  useLiveEvent('alert.raised', onAlert);
  useLiveEvent('alert.updated', onAlert);
  useLiveEvent('alert.escalated', onAlert);
  useLiveEvent('live.reconnected', () => {
    refetch(clinicIds);
    refetchAlerts(clinicIds);
  });

  const rooms = useQueries({
    queries: clinics.map((clinic) => ({
      queryKey: ['rooms', clinic.id],
      queryFn: () => fetchRooms(tokenRef.current, clinic.id, origin),
      staleTime: 5 * 60_000,
    })),
  });
  const roomsError = rooms.find((r) => r.isError)?.error;
  useEffect(() => {
    if (isUnauthorized(roomsError)) unauthorizedRef.current();
  }, [roomsError]);
  const roomLists = rooms.map((r) => r.data);
  const roomsKey = roomLists.map((r) => (r ? r.length : -1)).join(',');
  const clinicRooms = useMemo(() => roomLists, [roomsKey, clinicKey]);

  const status = useShellLiveStatus(live?.status);
  const offlineSince = useOfflineSince(status);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const shown = useMemo(
    () => clinics.filter((c) => !hidden.has(c.id)).map((c) => c.id),
    [clinics, hidden],
  );
  const toggleClinic = useCallback((id: string, show: boolean) => {
    setHidden((prev) => {
      const next = new Set(prev);
      if (show) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const role: Role = user.role;
  const names = useMemo(
    () => (clinics.length > 1 ? new Map(clinics.map((c) => [c.id, c.name])) : null),
    [clinics],
  );

  /** From the tray: bring the alert's tile into view (showing its clinic if filtered out) and mark it. */
  const locate = useCallback(
    (alert: Alert) => {
      const sessionId = alert.sessionId;
      if (!sessionId) return;
      if (hidden.has(alert.clinicId)) toggleClinic(alert.clinicId, true);
      requestAnimationFrame(() => {
        const tile = document.querySelector<HTMLElement>(`[data-session="${sessionId}"]`);
        if (!tile) return;
        tile.scrollIntoView?.({ block: 'center' });
        tile.focus({ preventScroll: true });
        tile.setAttribute('data-located', 'true');
        setTimeout(() => tile.removeAttribute('data-located'), 2500);
      });
    },
    [hidden, toggleClinic],
  );

  return (
    <section
      aria-labelledby="view-heading"
      className={`board${offlineSince !== null ? ' board-offline' : ''}`}
    >
      <div className="board-title">
        <h2 id="view-heading">Live board</h2>
        {offlineSince !== null && (
          <p className="board-offline-banner" role="status" data-testid="board-offline">
            {offlineSince.neverConnected
              ? 'Connecting to live updates… readings below may be out of date.'
              : `Offline since ${timeOfDay(offlineSince.at)} — readings below are not live.`}
          </p>
        )}
      </div>
      {problem && (
        <p className="banner banner-error" role="alert">
          {problem}
        </p>
      )}
      {roomsError && !isUnauthorized(roomsError) && (
        <p className="banner banner-error" role="alert">
          Could not load the rooms. {describeProblem(roomsError)}
        </p>
      )}
      <ul className="board-strips" aria-label="Clinics on the board">
        {clinics.map((clinic) => (
          <ClinicStrip
            key={clinic.id}
            clinic={clinic}
            store={store}
            shown={!hidden.has(clinic.id)}
            onToggle={toggleClinic}
          />
        ))}
      </ul>
      <div className="board-layout">
        <div className="board-clinics">
          <SessionOperatorProvider token={token} userId={user.id}>
            <SessionGrid store={store} shown={shown} clinicNames={names} role={role} />
          </SessionOperatorProvider>
          <IdleRooms store={store} clinics={clinics} rooms={clinicRooms} shown={shown} />
        </div>
        <AlertTray
          store={store}
          token={token}
          user={user}
          canAcknowledge={can(role, 'alert.acknowledge')}
          onUnauthorized={onUnauthorized}
          onLocate={locate}
          flashing={flashing}
          announcement={announcement}
        />
      </div>
    </section>
  );
}

/** A clinic's summary strip (running, alarming, offline, monitoring degraded) and its board filter. */
const ClinicStrip = memo(function ClinicStrip({
  clinic,
  store,
  shown,
  onToggle,
}: {
  clinic: Clinic;
  store: BoardStore;
  shown: boolean;
  onToggle(id: string, show: boolean): void;
}) {
  const summary = useSyncExternalStore(store.subscribeSummaries, () => store.summary(clinic.id));
  return (
    <li
      className={`board-strip${summary.alarming > 0 ? ' board-strip-alarming' : ''}${shown ? '' : ' board-strip-hidden'}`}
      data-testid="board-strip"
      data-clinic={clinic.id}
    >
      <strong className="board-strip-name">{clinic.name}</strong>
      <span data-testid="strip-running">{summary.running} running</span>
      <span data-testid="strip-alarming" className={summary.alarming > 0 ? 'board-strip-bad' : ''}>
        {summary.alarming} alarming
      </span>
      <span data-testid="strip-offline" className={summary.offline > 0 ? 'board-strip-bad' : ''}>
        {summary.offline} offline
      </span>
      {/* Said only when it is not ok (visually): the strips of several clinics fit one line. */}
      <span
        data-testid="strip-degraded"
        className={summary.degraded ? 'board-strip-tech' : 'visually-hidden'}
      >
        {summary.degraded ? 'Monitoring degraded' : 'Monitoring ok'}
      </span>
      {/* A board filter, unlike the shell's clinic switcher: the strip (and its alarms) stays. */}
      <label className="board-strip-filter">
        <input
          type="checkbox"
          checked={shown}
          onChange={(e) => onToggle(clinic.id, e.target.checked)}
          aria-label={`Show the tiles of ${clinic.name}`}
        />
        Tiles
      </label>
    </li>
  );
});

/**
 * The live sessions of the shown clinics, attention first. Re-renders only when a rank or the set of
 * sessions changes (the store's order), never on readings.
 */
const SessionGrid = memo(function SessionGrid({
  store,
  shown,
  clinicNames,
  role,
}: {
  store: BoardStore;
  shown: readonly string[];
  clinicNames: ReadonlyMap<string, string> | null;
  role: Role;
}) {
  const order = useSyncExternalStore(store.subscribeOrder, store.order);
  const entries = useMemo(() => {
    const set = new Set(shown);
    return order.filter((e) => set.has(e.clinicId));
  }, [order, shown]);
  // React gets the tiles in a fixed order (by session): moving one to the front would have it
  // re-insert every other tile. The triage order is applied to the DOM with the fewest moves.
  const stable = useMemo(
    () => [...entries].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1)),
    [entries],
  );
  const grid = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (grid.current)
      reorderChildren(
        grid.current,
        entries.map((e) => e.sessionId),
      );
  }, [entries]);
  if (entries.length === 0) return <p className="muted board-none">No sessions on the board.</p>;
  return (
    <div className="board-grid" data-testid="board-grid" ref={grid}>
      {stable.map((entry: BoardEntry) => (
        <SessionTile
          key={entry.sessionId}
          store={store}
          entry={entry}
          clinicName={clinicNames?.get(entry.clinicId) ?? null}
          role={role}
        />
      ))}
    </div>
  );
});

/** Rooms with no session, collapsed into one line per clinic. */
const IdleRooms = memo(function IdleRooms({
  store,
  clinics,
  rooms,
  shown,
}: {
  store: BoardStore;
  clinics: readonly Clinic[];
  rooms: readonly (Room[] | undefined)[];
  shown: readonly string[];
}) {
  const index = useSyncExternalStore(store.subscribeRooms, store.rooms);
  const lines = clinics.flatMap((clinic, i): { clinic: Clinic; names: string[] | null }[] => {
    if (!shown.includes(clinic.id)) return [];
    const list = rooms[i];
    if (list === undefined) return [{ clinic, names: null }];
    const names = list
      .filter((r) => r.active && !index.has(r.id))
      .map((r) => r.name)
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return names.length > 0 ? [{ clinic, names }] : [];
  });
  if (lines.length === 0) return null;
  return (
    <ul className="board-idle" aria-label="Idle rooms">
      {lines.map(({ clinic, names }) => (
        <li key={clinic.id} data-testid="board-idle">
          {names === null ? (
            <span role="status">Loading the rooms of {clinic.name}…</span>
          ) : (
            <>
              <strong>
                Idle{clinics.length > 1 ? ` · ${clinic.name}` : ''} ({names.length}):
              </strong>{' '}
              {names.join(', ')}
            </>
          )}
        </li>
      ))}
    </ul>
  );
});

/**
 * The shell's live status. The shell hands views no live state (ViewProps), so unless `fromProps` is
 * given the board watches the shell's live indicator (`data-state` of `[data-testid=live-status]`).
 * Null when neither is available (the board is rendered alone).
 */
function useShellLiveStatus(fromProps: LiveStatus | undefined): LiveStatus | null {
  const [observed, setObserved] = useState<LiveStatus | null>(null);
  useEffect(() => {
    if (fromProps !== undefined) return;
    const el = document.querySelector('[data-testid="live-status"]');
    if (!el) return;
    const read = () => setObserved((el.getAttribute('data-state') as LiveStatus | null) ?? null);
    read();
    const observer = new MutationObserver(read);
    observer.observe(el, { attributes: true, attributeFilter: ['data-state'] });
    return () => observer.disconnect();
  }, [fromProps]);
  return fromProps ?? observed;
}

/** When the live connection was lost (or that it never came up); null while connected or unknown. */
function useOfflineSince(
  status: LiveStatus | null,
): { at: number; neverConnected: boolean } | null {
  const [state, setState] = useState<{ at: number; neverConnected: boolean } | null>(null);
  const connectedOnce = useRef(false);
  useEffect(() => {
    if (status === null || status === 'connected') {
      if (status === 'connected') connectedOnce.current = true;
      setState(null);
      return;
    }
    setState((prev) => prev ?? { at: Date.now(), neverConnected: !connectedOnce.current });
  }, [status]);
  return state;
}
