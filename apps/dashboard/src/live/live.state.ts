import { type AccessRevokedReason } from '@tautline/domain';

export type LiveStatus = 'connected' | 'reconnecting' | 'offline';

export interface LiveState {
  status: LiveStatus;
  /** Distinguishes the first attempt ("Connecting…") from a dropped connection ("Reconnecting…"). */
  hasConnected: boolean;
  /** ISO instant of the last live data (subscription confirmed or event received). */
  lastUpdateAt: string | null;
  /** Why we are offline, in words, when it is not the user's doing. */
  reason: string | null;
  /** The server ended the connection because the user's access changed: only signing in again helps. */
  revoked: boolean;
}

export type LiveEvent =
  | { type: 'start' }
  | { type: 'connected' }
  | { type: 'disconnected'; reason: string }
  | { type: 'connect-failed'; message: string; willRetry: boolean }
  | { type: 'reconnect-attempt' }
  | { type: 'update'; at: string }
  | { type: 'revoked'; reason: AccessRevokedReason }
  | { type: 'stop' };

export const initialLiveState: LiveState = {
  status: 'offline',
  hasConnected: false,
  lastUpdateAt: null,
  reason: null,
  revoked: false,
};

const REVOKED: Record<Exclude<AccessRevokedReason, 'membership_removed'>, string> = {
  deactivated: 'Your access was withdrawn. Sign in again, or ask an administrator.',
  role_changed: 'Your role changed. Sign in again to continue.',
};

/** socket.io's reason when the server closed the socket on purpose; the client will not retry by itself. */
const SERVER_DISCONNECT = 'io server disconnect';
const CLIENT_DISCONNECT = 'io client disconnect';
export const UNAUTHORIZED = 'unauthorized';

/** Reduces socket.io lifecycle events to what the indicator shows. */
export function reduceLive(state: LiveState, event: LiveEvent): LiveState {
  switch (event.type) {
    case 'start':
      return { ...initialLiveState, status: 'reconnecting', lastUpdateAt: state.lastUpdateAt };
    case 'connected':
      return { ...state, status: 'connected', hasConnected: true, reason: null };
    case 'disconnected':
      // The server said why just before closing: keep its words.
      if (state.revoked) return { ...state, status: 'offline' };
      if (event.reason === CLIENT_DISCONNECT) return { ...state, status: 'offline', reason: null };
      if (event.reason === SERVER_DISCONNECT) {
        return { ...state, status: 'offline', reason: 'The server closed the live connection.' };
      }
      // Transport close, ping timeout…: socket.io reconnects with back-off.
      return { ...state, status: 'reconnecting', reason: null };
    case 'connect-failed':
      if (event.message === UNAUTHORIZED) {
        return { ...state, status: 'offline', reason: 'Your session is no longer valid.' };
      }
      return event.willRetry
        ? { ...state, status: 'reconnecting', reason: null }
        : { ...state, status: 'offline', reason: 'Cannot reach the live service.' };
    case 'reconnect-attempt':
      return { ...state, status: 'reconnecting', reason: null };
    case 'update':
      return { ...state, lastUpdateAt: event.at };
    case 'revoked':
      // A clinic removed only takes its rooms away; the connection stays up for the others.
      if (event.reason === 'membership_removed') return state;
      return { ...state, status: 'offline', reason: REVOKED[event.reason], revoked: true };
    case 'stop':
      return { ...state, status: 'offline', reason: null };
  }
}

export function liveStatusLabel(state: LiveState): string {
  switch (state.status) {
    case 'connected':
      return 'Live';
    case 'reconnecting':
      return state.hasConnected ? 'Reconnecting…' : 'Connecting…';
    case 'offline':
      return 'Offline';
  }
}
