import {
  DEFAULT_SAFETY_THRESHOLDS,
  SafetyThresholds,
  type SessionReviewRow,
} from '@tautline/domain';
import { SESSION_COLUMNS, type SessionRow, toTreatmentSession } from './session.row';

/**
 * A session with the names the review shows (clinic, room, practitioner, patient initials) and its
 * alerts counted per priority. Callers add the WHERE (always scoped to the organisation) and ORDER.
 */
export const REVIEW_SELECT = `SELECT ${SESSION_COLUMNS}, c.name AS clinic_name, r.name AS room_name,
       pr.name AS practitioner_name, p.given_name, p.family_name, ac.critical, ac.warning, ac.technical
  FROM treatment_sessions s
  JOIN clinics c ON c.id = s.clinic_id
  JOIN rooms r ON r.id = s.room_id
  JOIN practitioners pr ON pr.id = s.practitioner_id
  JOIN appointments a ON a.id = s.appointment_id
  JOIN patients p ON p.id = a.patient_id
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE al.severity = 'critical')::int AS critical,
           count(*) FILTER (WHERE al.severity = 'warning')::int AS warning,
           count(*) FILTER (WHERE al.severity = 'technical')::int AS technical
      FROM alerts al WHERE al.session_id = s.id
  ) ac`;

export interface ReviewRow extends SessionRow {
  clinic_name: string;
  room_name: string;
  practitioner_name: string;
  given_name: string;
  family_name: string;
  critical: number;
  warning: number;
  technical: number;
}

export function toSessionReviewRow(r: ReviewRow): SessionReviewRow {
  // A stored window the rules cannot read falls back to the defaults, as the worker does.
  const parsed = SafetyThresholds.safeParse(r.thresholds);
  const thresholds = parsed.success ? parsed.data : DEFAULT_SAFETY_THRESHOLDS;
  return {
    ...toTreatmentSession(r),
    clinicName: r.clinic_name,
    roomName: r.room_name,
    practitionerName: r.practitioner_name,
    patientInitials: `${r.given_name.charAt(0)}${r.family_name.charAt(0)}`.toUpperCase(),
    alertCounts: {
      critical: r.critical,
      warning: r.warning,
      technical: r.technical,
      total: r.critical + r.warning + r.technical,
    },
    impedanceLimitsOhm: { min: thresholds.impedanceMinOhm, max: thresholds.impedanceMaxOhm },
  };
}
