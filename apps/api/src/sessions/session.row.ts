import {
  type AdverseEvent,
  type SessionPlan,
  type SessionSummary,
  type TreatmentSession,
  type TreatmentSessionStatus,
} from '@tautline/domain';

export const SESSION_COLUMNS = `s.id, s.organisation_id, s.clinic_id, s.room_id, s.device_id, s.appointment_id, s.practitioner_id,
  s.status, s.plan, s.thresholds, s.started_at, s.ended_at, s.running_seconds, s.running_since, s.summary, s.adverse_event,
  s.version, s.created_at`;

export interface SessionRow {
  id: string;
  organisation_id: string;
  clinic_id: string;
  room_id: string;
  device_id: string;
  appointment_id: string;
  practitioner_id: string;
  status: TreatmentSessionStatus;
  plan: SessionPlan;
  thresholds: Record<string, unknown>;
  started_at: Date | null;
  ended_at: Date | null;
  running_seconds: number;
  running_since: Date | null;
  summary: SessionSummary | null;
  adverse_event: AdverseEvent | null;
  version: number;
  created_at: Date;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toTreatmentSession(r: SessionRow): TreatmentSession {
  return {
    id: r.id,
    appointmentId: r.appointment_id,
    clinicId: r.clinic_id,
    roomId: r.room_id,
    deviceId: r.device_id,
    practitionerId: r.practitioner_id,
    status: r.status,
    plan: r.plan,
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    runningSeconds: r.running_seconds,
    runningSince: iso(r.running_since),
    summary: r.summary,
    adverseEvent: r.adverse_event,
    createdAt: r.created_at.toISOString(),
  };
}
