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
  practitioner_user_id: string | null;
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
            pr.name AS practitioner_name, pr.user_id AS practitioner_user_id, s.status, s.plan, s.thresholds, s.started_at, s.running_seconds, s.running_since
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
    practitionerUserId: r.practitioner_user_id,
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
  side: Alert['side'];
  message: string;
  value: number | null;
  limit: number | null;
  clinic_name: string | null;
  room_name: string | null;
  patient_initials: string | null;
  status: Alert['status'];
  raised_at: Date;
  cleared_at: Date | null;
  resolved_at: Date | null;
  occurrences: number;
  realerted_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  acknowledgement_note: string | null;
  escalated_at: Date | null;
}

/** Every column `toAlert` reads; usable in RETURNING (`"limit"` is a keyword, hence quoted). */
export const ALERT_COLUMNS = `id, session_id, clinic_id, room_id, kind, severity, channel, muscle, side, message, value, "limit",
  clinic_name, room_name, patient_initials, status, raised_at, cleared_at, resolved_at, occurrences, realerted_at,
  acknowledged_at, acknowledged_by, acknowledged_by_name, acknowledgement_note, escalated_at`;

/** `ALERT_COLUMNS` qualified by a table alias, for joins: `alertColumns('a')`. */
export const alertColumns = (alias: string): string =>
  ALERT_COLUMNS.split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');

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
    side: r.side,
    message: r.message,
    value: r.value,
    limit: r.limit,
    clinicName: r.clinic_name,
    roomName: r.room_name,
    patientInitials: r.patient_initials,
    status: r.status,
    raisedAt: r.raised_at.toISOString(),
    clearedAt: iso(r.cleared_at),
    resolvedAt: iso(r.resolved_at),
    occurrences: r.occurrences,
    realertedAt: iso(r.realerted_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedByName: r.acknowledged_by_name,
    acknowledgementNote: r.acknowledgement_note,
    escalatedAt: iso(r.escalated_at),
  };
}

/** SQL ordering matching the domain's `compareAlarms`: sounding, acknowledged, resolved; critical first; newest first. */
export const alertTrayOrder = (alias?: string): string => {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return `CASE ${c('status')} WHEN 'open' THEN 0 WHEN 'latched' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END,
    CASE ${c('severity')} WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, ${c('raised_at')} DESC, ${c('id')}`;
};

/** Unresolved (open, acknowledged, latched) alerts of some sessions, in tray order. */
export async function loadOpenAlerts(db: EntityManager, sessionIds: string[]): Promise<Alert[]> {
  if (sessionIds.length === 0) return [];
  const rows = (await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE session_id = ANY($1::uuid[]) AND status <> 'resolved'
      ORDER BY ${alertTrayOrder()}`,
    [sessionIds],
  )) as AlertRow[];
  return rows.map(toAlert);
}

/**
 * Unresolved alerts of some clinics that no live session carries: latched criticals of sessions
 * that have ended (still sounding until acknowledged) and clinic-level alerts. A (re)connecting
 * board gets them with its snapshot.
 */
export async function loadAlertsOutsideLiveSessions(
  db: EntityManager,
  organisationId: string,
  clinicIds: string[],
): Promise<Alert[]> {
  if (clinicIds.length === 0) return [];
  const rows = (await db.query(
    `SELECT ${alertColumns('a')} FROM alerts a
       LEFT JOIN treatment_sessions s ON s.id = a.session_id
      WHERE a.organisation_id = $1 AND a.clinic_id = ANY($2::uuid[]) AND a.status <> 'resolved'
        AND (a.session_id IS NULL OR s.status NOT IN ('ready', 'running', 'paused'))
      ORDER BY ${alertTrayOrder('a')}`,
    [organisationId, clinicIds],
  )) as AlertRow[];
  return rows.map(toAlert);
}
