import {
  DEFAULT_SAFETY_THRESHOLDS,
  LIVE_TREATMENT_SESSION_STATUSES,
  SafetyThresholds,
  type SessionPlan,
  type TreatmentSessionStatus,
} from '@tautline/domain';
import { type DataSource, type EntityManager } from 'typeorm';

/** What the worker needs of a treatment session to judge its telemetry and clock (PostgreSQL is the truth). */
export interface LiveSessionContext {
  sessionId: string;
  organisationId: string;
  clinicId: string;
  roomId: string;
  roomName: string;
  deviceId: string;
  status: TreatmentSessionStatus;
  plan: SessionPlan;
  /** The snapshot taken at session start; a row that does not parse falls back to the defaults. */
  thresholds: SafetyThresholds;
  startedAt: string | null;
  runningSeconds: number;
  runningSince: string | null;
}

interface ContextRow {
  id: string;
  organisation_id: string;
  clinic_id: string;
  room_id: string;
  room_name: string;
  device_id: string;
  status: TreatmentSessionStatus;
  plan: SessionPlan;
  thresholds: unknown;
  started_at: Date | null;
  running_seconds: number;
  running_since: Date | null;
}

const COLUMNS = `s.id, s.organisation_id, s.clinic_id, s.room_id, r.name AS room_name, s.device_id, s.status, s.plan,
  s.thresholds, s.started_at, s.running_seconds, s.running_since`;

export function thresholdsOf(raw: unknown): SafetyThresholds {
  const parsed = SafetyThresholds.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_SAFETY_THRESHOLDS;
}

export function isLive(status: TreatmentSessionStatus): boolean {
  return (LIVE_TREATMENT_SESSION_STATUSES as readonly TreatmentSessionStatus[]).includes(status);
}

function toContext(r: ContextRow): LiveSessionContext {
  return {
    sessionId: r.id,
    organisationId: r.organisation_id,
    clinicId: r.clinic_id,
    roomId: r.room_id,
    roomName: r.room_name,
    deviceId: r.device_id,
    status: r.status,
    plan: r.plan,
    thresholds: thresholdsOf(r.thresholds),
    startedAt: r.started_at?.toISOString() ?? null,
    runningSeconds: r.running_seconds,
    runningSince: r.running_since?.toISOString() ?? null,
  };
}

/**
 * One session, if it is the one the job names: same organisation, clinic and device (defence in
 * depth; the API checked the device writes to its own session). Any status: the caller decides.
 */
export async function loadSessionContext(
  db: DataSource | EntityManager,
  where: { sessionId: string; organisationId?: string; clinicId?: string; deviceId?: string },
): Promise<LiveSessionContext | null> {
  const [row] = (await db.query(
    `SELECT ${COLUMNS} FROM treatment_sessions s JOIN rooms r ON r.id = s.room_id
      WHERE s.id = $1 AND ($2::uuid IS NULL OR s.organisation_id = $2) AND ($3::uuid IS NULL OR s.clinic_id = $3)
        AND ($4::uuid IS NULL OR s.device_id = $4)`,
    [where.sessionId, where.organisationId ?? null, where.clinicId ?? null, where.deviceId ?? null],
  )) as ContextRow[];
  return row ? toContext(row) : null;
}

/** Every running session, for the watchdog (a partial index covers `status = 'running'`). */
export async function loadRunningSessions(
  db: DataSource | EntityManager,
): Promise<LiveSessionContext[]> {
  const rows = (await db.query(
    `SELECT ${COLUMNS} FROM treatment_sessions s JOIN rooms r ON r.id = s.room_id WHERE s.status = 'running'`,
  )) as ContextRow[];
  return rows.map(toContext);
}
