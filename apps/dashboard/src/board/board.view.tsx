import { type Alert, type Clinic, type Room } from '@tautline/domain';
import { useQueries } from '@tanstack/react-query';
import {
  memo,
  useCallback,
  useEffect,
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
import { timeOfDay } from './board.format';
import { useAlertSound } from './board.sound';
import { BoardStore } from './board.store';
import { RoomTile } from './board.tile';
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
  const { muted, setMuted, beep } = useAlertSound();
  const [flashing, setFlashing] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const flashTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetchRef = useRef<(ids: readonly string[]) => void>(() => undefined);
  // The latest callback without refetching when a parent passes a new function.
  const unauthorizedRef = useRef(onUnauthorized);
  useEffect(() => {
    unauthorizedRef.current = onUnauthorized;
  });

  const onCritical = useCallback(
    (alert: Alert) => {
      beep();
      setAnnouncement(`Critical alert: ${alert.message}`);
      setFlashing(true);
      if (flashTimer.current) clearTimeout(flashTimer.current);
      flashTimer.current = setTimeout(() => setFlashing(false), 1600);
    },
    [beep],
  );
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
        fetchLiveSessions(token, id, origin).then(
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
    [token, origin, store],
  );
  useEffect(() => {
    refetchRef.current = refetch;
  });
  useEffect(() => {
    const ids = clinicKey ? clinicKey.split(',') : [];
    refetch(ids);
    for (const id of ids) {
      fetchUnresolvedAlerts(token, id, origin).then(
        (alerts) => store.upsertAlerts(alerts),
        (error: unknown) => {
          if (isUnauthorized(error)) unauthorizedRef.current();
          else setProblem(`Could not load the alerts. ${describeProblem(error)}`);
        },
      );
    }
  }, [clinicKey, refetch, token, origin, store]);

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
    if (selected.has(alert.clinicId)) store.upsertAlerts([alert], true);
  };
  useLiveEvent('alert.raised', onAlert);
  useLiveEvent('alert.updated', onAlert);
  useLiveEvent('alert.escalated', onAlert);
  useLiveEvent('live.reconnected', () => refetch(clinicIds));

  const rooms = useQueries({
    queries: clinics.map((clinic) => ({
      queryKey: ['rooms', clinic.id, token],
      queryFn: () => fetchRooms(token, clinic.id, origin),
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
  const roomNames = useMemo(() => {
    const map = new Map<string, string>();
    clinicRooms.forEach((list) => list?.forEach((r) => map.set(r.id, r.name)));
    return map;
  }, [clinicRooms]);

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
      <div className="board-layout">
        <div className="board-clinics">
          {clinics.map((clinic, i) => (
            <ClinicRooms
              key={clinic.id}
              clinic={clinic}
              rooms={clinicRooms[i]}
              store={store}
              showName={clinics.length > 1}
            />
          ))}
        </div>
        <AlertTray
          store={store}
          token={token}
          user={user}
          roomNames={roomNames}
          onUnauthorized={onUnauthorized}
          flashing={flashing}
          announcement={announcement}
          muted={muted}
          onMutedChange={setMuted}
        />
      </div>
    </section>
  );
}

/** A clinic's rooms; re-renders only when a session starts, ends or changes room (not on updates). */
const ClinicRooms = memo(function ClinicRooms({
  clinic,
  rooms,
  store,
  showName,
}: {
  clinic: Clinic;
  rooms: Room[] | undefined;
  store: BoardStore;
  showName: boolean;
}) {
  const index = useSyncExternalStore(store.subscribeRooms, store.rooms);
  const tiles = useMemo(() => {
    const known = (rooms ?? [])
      .filter((r) => r.active)
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const ids = new Set(known.map((r) => r.id));
    // A session in a room we do not list (inactive, or the list not loaded yet) still shows.
    const extra: Pick<Room, 'id' | 'name'>[] = [];
    for (const [roomId, sessionId] of index) {
      const s = store.session(sessionId);
      if (s && s.clinicId === clinic.id && !ids.has(roomId))
        extra.push({ id: roomId, name: s.roomName });
    }
    return [...known, ...extra];
  }, [rooms, index, store, clinic.id]);

  const headingId = `board-clinic-${clinic.id}`;
  return (
    <section aria-labelledby={headingId} className="board-clinic">
      <h3 id={headingId} className={showName ? 'board-clinic-name' : 'visually-hidden'}>
        {clinic.name}
      </h3>
      {rooms === undefined && tiles.length === 0 ? (
        <p role="status">Loading rooms…</p>
      ) : (
        <div className="board-grid">
          {tiles.map((room) => (
            <RoomTile key={room.id} store={store} room={room} sessionId={index.get(room.id)} />
          ))}
        </div>
      )}
    </section>
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
