import { z } from 'zod';
import type { AppointmentChangedEvent } from './appointments.schemas';
import type { AlertEvent, LiveSession } from './live-sessions.schemas';
import type { Notice } from './notice.schemas';

/** The socket.io namespace every live client connects to. */
export const LIVE_NAMESPACE = '/live';

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
}

/** Events browsers send to the server; every one answers through its ack. */
export interface ClientToServerEvents {
  'clinics.subscribe': (payload: SubscribeRequest, ack: (result: SubscribeResult) => void) => void;
  'clinics.unsubscribe': (payload: SubscribeRequest, ack: (result: { left: string[] }) => void) => void;
}

/** Per-socket data set at the handshake. */
export interface LiveSocketData {
  userId: string;
  organisationId: string;
  clinicIds: string[];
}
