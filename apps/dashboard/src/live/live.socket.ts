import {
  type AccessRevokedEvent,
  LIVE_NAMESPACE,
  LIVE_UNAVAILABLE,
  type ClientToServerEvents,
  type Notice,
  type ServerToClientEvents,
} from '@tautline/domain';
import { useEffect, useReducer, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import { type LiveBus } from './live.bus';
import { initialLiveState, reduceLive, UNAUTHORIZED, type LiveState } from './live.state';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** socket.io's reason when the server closed the socket on purpose (it will not reconnect by itself). */
const SERVER_DISCONNECT = 'io server disconnect';

/** How soon to ask again when the server said it cannot reach its database. */
const RETRY_AFTER_OUTAGE_MS = 2_000;

/**
 * `origin`: where the API answers; `''` (the page's own origin) makes this `io('/live', …)`.
 * `token` is read at every (re)connect, so a reconnect presents the newest token.
 */
export function connectLive(token: () => string, origin = ''): LiveSocket {
  // WebSocket only: no long-polling fallback, so no sticky sessions are needed behind a load balancer.
  // Not connected yet: the hook opens it once its listeners are attached.
  return io(`${origin}${LIVE_NAMESPACE}`, {
    auth: (send) => send({ token: token() }),
    transports: ['websocket'],
    autoConnect: false,
  });
}

interface UseLiveSocketOptions {
  token: string;
  /** Where the API answers; `''` (the default) is the page's own origin. See `http.origin.tsx`. */
  origin?: string;
  /** Rooms follow this list: subscribed after every (re)connect and diffed on change. */
  clinicIds: readonly string[];
  onNotice(notice: Notice): void;
  /** The server refused the token (`connect_error` "unauthorized") or closed the socket at its expiry. */
  onUnauthorized(): void;
  /** Opens the socket; tests pass one that keeps a reference to the real socket it returns. */
  connect?: (token: () => string, origin: string) => LiveSocket;
  /** Where every other live event goes (appointments, sessions, alerts, snapshots, reconnects). */
  bus?: LiveBus;
}

/** Server events relayed to the bus as they come. */
const RELAYED = [
  'appointment.changed',
  'session.updated',
  'alert.raised',
  'alert.updated',
  'alert.escalated',
] as const;

/**
 * One socket for the signed-in user; exposes the connection state for the live indicator. A new
 * `token` (background renewal) is handed to the open socket with `auth.renew`: no reconnect, rooms
 * kept, no event missed. A socket the server closed (or refused) reconnects with it instead.
 */
export function useLiveSocket({
  token,
  origin = '',
  clinicIds,
  onNotice,
  onUnauthorized,
  connect = connectLive,
  bus,
}: UseLiveSocketOptions): LiveState {
  const [state, dispatch] = useReducer(reduceLive, initialLiveState);
  const socketRef = useRef<LiveSocket | null>(null);
  const wantedRef = useRef<readonly string[]>(clinicIds);
  // What this connection has been asked to join; the server forgets it when the connection drops.
  const joinedRef = useRef<ReadonlySet<string>>(new Set());
  const callbacksRef = useRef({ onNotice, onUnauthorized });
  const busRef = useRef(bus);
  const tokenRef = useRef(token);

  useEffect(() => {
    callbacksRef.current = { onNotice, onUnauthorized };
    busRef.current = bus;
  });

  useEffect(() => {
    const socket = connect(() => tokenRef.current, origin);
    socketRef.current = socket;
    dispatch({ type: 'start' });

    let connectedBefore = false;
    const onConnect = () => {
      dispatch({ type: 'connected' });
      joinedRef.current = new Set();
      syncRooms(socket, wantedRef.current, joinedRef, dispatch, busRef);
      if (connectedBefore) busRef.current?.emit('live.reconnected', {});
      connectedBefore = true;
    };
    let revoked = false;
    const onDisconnect = (reason: string) => {
      dispatch({ type: 'disconnected', reason });
      // Closed by the server without a revocation: its token ran out before a renewal reached it.
      if (reason === SERVER_DISCONNECT && !revoked) callbacksRef.current.onUnauthorized();
    };
    let retry: ReturnType<typeof setTimeout> | undefined;
    const onConnectError = (error: Error) => {
      // A refusal by the server's middleware is not retried by socket.io; an outage on its side is.
      const outage = error.message === LIVE_UNAVAILABLE;
      dispatch({
        type: 'connect-failed',
        message: error.message,
        willRetry: socket.active || outage,
      });
      if (error.message === UNAUTHORIZED) callbacksRef.current.onUnauthorized();
      if (outage) retry = setTimeout(() => socket.connect(), RETRY_AFTER_OUTAGE_MS);
    };
    const onReconnectAttempt = () => dispatch({ type: 'reconnect-attempt' });
    const onAccessRevoked = ({ reason, clinicIds }: AccessRevokedEvent) => {
      dispatch({ type: 'revoked', reason });
      if (reason !== 'membership_removed') revoked = true;
      // Those rooms are gone: views drop what they show of these clinics (an empty snapshot).
      const lost = new Set(clinicIds);
      joinedRef.current = new Set([...joinedRef.current].filter((id) => !lost.has(id)));
      busRef.current?.emit('sessions.snapshot', { clinicIds, sessions: [] });
    };
    const onNoticePosted = (notice: Notice) => {
      dispatch({ type: 'update', at: new Date().toISOString() });
      callbacksRef.current.onNotice(notice);
    };

    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('notice.posted', onNoticePosted);
    socket.on('access.revoked', onAccessRevoked);
    // socket.io's typed `on` cannot take one handler for a union of events: relay through the untyped view.
    const untyped = socket as unknown as {
      on(e: string, h: (p: unknown) => void): void;
      off(e: string, h: (p: unknown) => void): void;
    };
    // The indicator's "last update" needs one-second precision; re-rendering the shell for each of
    // hundreds of session updates a second would not be smooth.
    let lastMarked = 0;
    const relays = RELAYED.map((event) => {
      const relay = (payload: unknown) => {
        const now = Date.now();
        if (now - lastMarked >= 1_000) {
          lastMarked = now;
          dispatch({ type: 'update', at: new Date(now).toISOString() });
        }
        busRef.current?.emit(event, payload as never);
      };
      untyped.on(event, relay);
      return () => untyped.off(event, relay);
    });
    socket.io.on('reconnect_attempt', onReconnectAttempt);
    // Deferred so React's development double-run of effects does not open and abort a WebSocket.
    const opening = setTimeout(() => socket.connect(), 0);

    return () => {
      clearTimeout(opening);
      clearTimeout(retry);
      socket.io.off('reconnect_attempt', onReconnectAttempt);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('notice.posted', onNoticePosted);
      socket.off('access.revoked', onAccessRevoked);
      relays.forEach((off) => off());
      socket.disconnect();
      socketRef.current = null;
      dispatch({ type: 'stop' });
    };
  }, [origin, connect]);

  useEffect(() => {
    if (tokenRef.current === token) return;
    tokenRef.current = token;
    const socket = socketRef.current;
    if (!socket) return;
    if (socket.connected) {
      // Refused: the server drops the socket at the old expiry, and the disconnect renews again.
      socket.emit('auth.renew', { accessToken: token }, () => undefined);
    } else if (!socket.active) {
      // Closed by the server (expiry, a refused handshake): it does not come back by itself.
      socket.connect();
    }
  }, [token]);

  // A stable key so a new array with the same ids does not resubscribe.
  const clinicKey = clinicIds.join(',');
  useEffect(() => {
    wantedRef.current = clinicKey ? clinicKey.split(',') : [];
    const socket = socketRef.current;
    if (socket?.connected) syncRooms(socket, wantedRef.current, joinedRef, dispatch, busRef);
  }, [clinicKey]);

  return state;
}

function syncRooms(
  socket: LiveSocket,
  wanted: readonly string[],
  joinedRef: { current: ReadonlySet<string> },
  dispatch: (event: { type: 'update'; at: string }) => void,
  busRef: { current: LiveBus | undefined },
): void {
  const joined = joinedRef.current;
  const join = wanted.filter((id) => !joined.has(id));
  const leave = [...joined].filter((id) => !wanted.includes(id));
  joinedRef.current = new Set(wanted);
  if (join.length > 0) {
    socket.emit('clinics.subscribe', { clinicIds: join }, (ack) => {
      if (ack.error === LIVE_UNAVAILABLE) {
        // Not joined: ask again shortly, while the socket is still the one we asked on.
        joinedRef.current = new Set([...joinedRef.current].filter((id) => !join.includes(id)));
        setTimeout(
          () => socket.connected && syncRooms(socket, wanted, joinedRef, dispatch, busRef),
          RETRY_AFTER_OUTAGE_MS,
        );
        return;
      }
      // The server now sends this room's events: the view is up to date as of now.
      dispatch({ type: 'update', at: new Date().toISOString() });
      busRef.current?.emit('sessions.snapshot', {
        clinicIds: ack.joined,
        sessions: ack.sessions ?? [],
      });
    });
  }
  if (leave.length > 0) socket.emit('clinics.unsubscribe', { clinicIds: leave }, () => undefined);
}
