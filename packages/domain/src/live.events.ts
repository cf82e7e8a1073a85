import { z } from 'zod';
import type { AppointmentChangedEvent } from './appointments.schemas';
import type { AlertEvent, LiveSession } from './live-sessions.schemas';
import type { Alert } from './sessions/alert.schemas';
import type { Notice } from './notice.schemas';
import type { Role } from './roles';

/** The socket.io namespace every live client connects to. */
export const LIVE_NAMESPACE = '/live';
/** The handshake's refusal, and a subscribe's `error`, while the server cannot reach its database: retry later. */
export const LIVE_UNAVAILABLE = 'unavailable';

/** Room names are built here only, so API, worker and tests agree on them. */
export function clinicRoom(clinicId: string): `clinic:${string}` {
  return `clinic:${clinicId}`;
}

export const SubscribeRequest = z.object({ clinicIds: z.array(z.uuid()).max(200) });
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

export interface SubscribeResult {
  joined: string[];
  /** Clinic ids the caller may not see; unknown and foreign ids are indistinguishable. */
  rejected: string[];
  /** Set when the request itself was malformed. */
  error?: string;
  /** The live sessions of the joined clinics, right now: a (re)connecting board starts from this. */
  sessions?: LiveSession[];
  /**
   * Unresolved alerts of the joined clinics that no live session carries: latched criticals of
   * sessions that have ended (still sounding until acknowledged) and clinic-level alerts.
   */
  alerts?: Alert[];
}

/** Events the server (API or worker, through the Redis emitter) sends to browsers. */
export interface ServerToClientEvents {
  'notice.posted': (notice: Notice) => void;
  'appointment.changed': (event: AppointmentChangedEvent) => void;
  /** Coalesced per session to a few per second; `updateSeq` lets a client detect a gap. */
  'session.updated': (session: LiveSession) => void;
  /** Never coalesced. */
  'alert.raised': (event: AlertEvent) => void;
  'alert.updated': (event: AlertEvent) => void;
  'alert.escalated': (event: AlertEvent) => void;
  /** Sent just before the server leaves rooms or disconnects because the user's access changed. */
  'access.revoked': (event: AccessRevokedEvent) => void;
}

/** Events browsers send to the server; every one answers through its ack. */
export interface ClientToServerEvents {
  'clinics.subscribe': (payload: SubscribeRequest, ack: (result: SubscribeResult) => void) => void;
  'clinics.unsubscribe': (
    payload: SubscribeRequest,
    ack: (result: { left: string[] }) => void,
  ) => void;
  /**
   * A renewed access token for the socket's own user: the server extends the socket's life to the
   * new token's expiry, keeping its rooms (no reconnect, no missed events).
   */
  'auth.renew': (payload: AuthRenewRequest, ack: (result: AuthRenewResult) => void) => void;
}

export interface AuthRenewRequest {
  accessToken: string;
}

/** `expiresAt`: epoch milliseconds after which the server drops the socket unless renewed again. */
export type AuthRenewResult = { ok: true; expiresAt: number } | { ok: false; error: string };

/** Per-socket data set at the handshake. */
export interface LiveSocketData {
  userId: string;
  organisationId: string;
  role: Role;
  clinicIds: string[];
}

/**
 * `deactivated` (or deleted, or moved organisation) and `role_changed` end the connection; the
 * client must sign in again. `membership_removed` only leaves the rooms in `clinicIds`.
 */
export type AccessRevokedReason = 'deactivated' | 'role_changed' | 'membership_removed';

export interface AccessRevokedEvent {
  reason: AccessRevokedReason;
  /** The clinics whose rooms this socket no longer receives. */
  clinicIds: string[];
}

/** What a live socket must do after its user's access changed (pure: the API's gateway applies it). */
export type LiveAccessDecision =
  | { action: 'keep' }
  | { action: 'leave'; event: AccessRevokedEvent }
  | { action: 'disconnect'; event: AccessRevokedEvent };

/**
 * Compares what a socket was let in with (`held`) to the user as stored now (`current`, undefined if
 * gone or inactive). Rooms only ever shrink here: a clinic gained is joined by the next subscribe.
 */
export function reviewLiveAccess(
  held: Pick<LiveSocketData, 'organisationId' | 'role' | 'clinicIds'>,
  current: { organisationId: string; role: Role; clinicIds: readonly string[] } | undefined,
): LiveAccessDecision {
  if (!current || current.organisationId !== held.organisationId) {
    return {
      action: 'disconnect',
      event: { reason: 'deactivated', clinicIds: [...held.clinicIds] },
    };
  }
  if (current.role !== held.role)
    return {
      action: 'disconnect',
      event: { reason: 'role_changed', clinicIds: [...held.clinicIds] },
    };
  const still = new Set(current.clinicIds);
  const lost = held.clinicIds.filter((id) => !still.has(id));
  return lost.length === 0
    ? { action: 'keep' }
    : { action: 'leave', event: { reason: 'membership_removed', clinicIds: lost } };
}
