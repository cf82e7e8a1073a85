import { type Alert, type LiveSession, SafetyThresholds, type SessionPlan } from '@tautline/domain';
import { type EntityManager } from 'typeorm';

/** A live session without its readings: who, where, plan and status (PostgreSQL is the truth). */
export type SessionCard = Omit<LiveSession, 'latest' | 'openAlerts' | 'updateEpoch' | 'updateSeq'>;

interface CardRow {
  id: string;
  clinic_id: string;
  room_id: string;
  room_name: string;
  device_id: string;
  appointment_id: string;
  given_name: string;
  family_name: string;
  practitioner_name: string;
  status: SessionCard['status'];
  plan: SessionPlan;
  thresholds: unknown;
  started_at: Date | null;
  running_seconds: number;
  running_since: Date | null;
}

const initials = (given: string, family: string) =>
  `${given.charAt(0)}${family.charAt(0)}`.toUpperCase();

/**
 * Cards of the active (ready, running, paused) sessions of some clinics, or of given sessions
 * whatever their status. Used by the API's snapshot and by the worker after Redis lost its copy.
 */
export async function loadSessionCards(
  db: EntityManager,
  organisationId: string,
  where: { clinicIds: string[] } | { sessionIds: string[] },
): Promise<SessionCard[]> {
  const byClinic = 'clinicIds' in where;
  const rows = (await db.query(
    `SELECT s.id, s.clinic_id, s.room_id, r.name AS room_name, s.device_id, s.appointment_id, p.given_name, p.family_name,
            pr.name AS practitioner_name, s.status, s.plan, s.thresholds, s.started_at, s.running_seconds, s.running_since
       FROM treatment_sessions s
       JOIN rooms r ON r.id = s.room_id
       JOIN appointments a ON a.id = s.appointment_id
       JOIN patients p ON p.id = a.patient_id
       JOIN practitioners pr ON pr.id = s.practitioner_id
      WHERE s.organisation_id = $1
        AND ${byClinic ? `s.clinic_id = ANY($2::uuid[]) AND s.status IN ('ready', 'running', 'paused')` : `s.id = ANY($2::uuid[])`}
      ORDER BY r.name, s.created_at`,
    [organisationId, byClinic ? where.clinicIds : where.sessionIds],
  )) as CardRow[];
  return rows.map((r) => ({
    sessionId: r.id,
    clinicId: r.clinic_id,
    roomId: r.room_id,
    roomName: r.room_name,
    deviceId: r.device_id,
    appointmentId: r.appointment_id,
    patientInitials: initials(r.given_name, r.family_name),
    practitionerName: r.practitioner_name,
    status: r.status,
    plan: r.plan,
    thresholds: SafetyThresholds.parse(r.thresholds),
    startedAt: r.started_at?.toISOString() ?? null,
    runningSeconds: r.running_seconds,
    runningSince: r.running_since?.toISOString() ?? null,
  }));
}

export interface AlertRow {
  id: string;
  /** Null (with room_id) for a clinic-level alert. */
  session_id: string | null;
  clinic_id: string;
  room_id: string | null;
  kind: Alert['kind'];
  severity: Alert['severity'];
  channel: number | null;
  muscle: Alert['muscle'];
  message: string;
  status: Alert['status'];
  raised_at: Date;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
  escalated_at: Date | null;
}

export const ALERT_COLUMNS = `id, session_id, clinic_id, room_id, kind, severity, channel, muscle, message, status, raised_at,
  resolved_at, acknowledged_at, acknowledged_by, acknowledgement_note, escalated_at`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    sessionId: r.session_id,
    clinicId: r.clinic_id,
    roomId: r.room_id,
    kind: r.kind,
    severity: r.severity,
    channel: r.channel,
    muscle: r.muscle,
    message: r.message,
    status: r.status,
    raisedAt: r.raised_at.toISOString(),
    resolvedAt: iso(r.resolved_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    acknowledgementNote: r.acknowledgement_note,
    escalatedAt: iso(r.escalated_at),
  };
}

/** Unresolved alerts of some sessions, critical first, newest first. */
export async function loadOpenAlerts(db: EntityManager, sessionIds: string[]): Promise<Alert[]> {
  if (sessionIds.length === 0) return [];
  const rows = (await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE session_id = ANY($1::uuid[]) AND status <> 'resolved'
      ORDER BY (severity = 'critical') DESC, raised_at DESC`,
    [sessionIds],
  )) as AlertRow[];
  return rows.map(toAlert);
}
