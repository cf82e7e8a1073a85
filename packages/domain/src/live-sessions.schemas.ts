import { z } from 'zod';
import { EntityId, Instant } from './scheduling/calendar.schemas';
import { Alert } from './sessions/alert.schemas';
import { SafetyThresholds } from './sessions/safety.thresholds';
import { TelemetryChannelReading } from './sessions/telemetry.schemas';
import { SessionPlan } from './sessions/treatment-session.schemas';
import { TreatmentSessionStatus } from './sessions/treatment-session.state-machine';

/**
 * A running (or ready, or paused) treatment session as the supervisor's live board sees it: who,
 * where, the plan, the latest readings and the open alerts. Pushed as `session.updated` (coalesced to
 * a few per second per session) and pulled as a snapshot (REST, and the `clinics.subscribe` ack).
 */
export const LatestReadings = z.object({
  seq: z.number().int(),
  /** The device's clock. */
  at: Instant,
  /** Ours: how fresh the signal is. */
  receivedAt: Instant,
  batteryPct: z.number(),
  flags: z.array(z.string()),
  channels: z.array(TelemetryChannelReading),
});
export type LatestReadings = z.infer<typeof LatestReadings>;

export const LiveSession = z.object({
  sessionId: EntityId,
  clinicId: EntityId,
  roomId: EntityId,
  roomName: z.string(),
  deviceId: EntityId,
  appointmentId: EntityId,
  /** Initials only: the board hangs on a wall. */
  patientInitials: z.string(),
  practitionerName: z.string(),
  /** The treating practitioner's own account (null without one): who besides supervisors may operate the session. */
  practitionerUserId: EntityId.nullable().optional(),
  status: TreatmentSessionStatus,
  plan: SessionPlan,
  /** The limits this session is judged by (the clinic's when it was created): the board reads contact from them. */
  thresholds: SafetyThresholds,
  startedAt: Instant.nullable(),
  /** Running time before the current stretch; with `runningSince` a client computes elapsed time itself. */
  runningSeconds: z.number().min(0),
  runningSince: Instant.nullable(),
  latest: LatestReadings.nullable(),
  openAlerts: z.array(Alert),
  /**
   * The generation of the session's live state in Redis (ms since epoch, Redis's clock, when it was
   * created): Redis losing its data starts a new, later epoch and `updateSeq` starts again at 1.
   */
  updateEpoch: z.number().int().min(0),
  /** Increases by one with every `session.updated` of this epoch: a gap means "re-fetch the snapshot". */
  updateSeq: z.number().int(),
});
export type LiveSession = z.infer<typeof LiveSession>;

/** Where a session's events stand: `(updateEpoch, updateSeq)`, ordered epoch first. */
export type UpdateStamp = Pick<LiveSession, 'updateEpoch' | 'updateSeq'>;

/**
 * How an incoming stamp relates to the one a client holds: `stale` (older or repeated: drop it),
 * `next` (the one expected), `gap` (some were missed: re-fetch the snapshot) or `new_epoch` (Redis
 * lost the live state and counts again from 1: take it at once, and re-fetch what may have been missed).
 */
export function orderUpdate(
  held: UpdateStamp | undefined,
  incoming: UpdateStamp,
): 'stale' | 'next' | 'gap' | 'new_epoch' {
  if (!held) return 'next';
  if (incoming.updateEpoch < held.updateEpoch) return 'stale';
  if (incoming.updateEpoch > held.updateEpoch) return 'new_epoch';
  if (incoming.updateSeq <= held.updateSeq) return 'stale';
  return incoming.updateSeq === held.updateSeq + 1 ? 'next' : 'gap';
}

export const LiveSessionsQuery = z.object({ clinicId: EntityId.optional() });

/**
 * `alert.raised` (a new row), `alert.updated` (acknowledged, latched, resolved, dismissed, re-opened by a
 * recurrence, re-alerted) and `alert.escalated` all carry the whole alert: order them with `alertVersion`.
 */
export interface AlertEvent {
  alert: Alert;
}
