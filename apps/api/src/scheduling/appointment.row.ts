import { type Appointment, type ExistingBooking } from '@tautline/domain';

/** Columns every appointment read selects, in the shape `toAppointment` expects. */
export const APPOINTMENT_COLUMNS = `a.id, a.organisation_id, a.clinic_id, a.patient_id, a.practitioner_id, a.room_id,
  a.appointment_type_id, a.starts_at, a.ends_at, a.buffer_before_minutes, a.buffer_after_minutes, a.status,
  a.version, a.series_id, a.screening_override_reason, a.cancelled_reason, a.reschedule_requested_at, a.created_at, a.updated_at`;

export interface AppointmentRow {
  id: string;
  organisation_id: string;
  clinic_id: string;
  patient_id: string;
  practitioner_id: string;
  room_id: string;
  appointment_type_id: string;
  starts_at: Date;
  ends_at: Date;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  status: Appointment['status'];
  version: number;
  series_id: string | null;
  screening_override_reason: string | null;
  cancelled_reason: string | null;
  reschedule_requested_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    patientId: row.patient_id,
    practitionerId: row.practitioner_id,
    roomId: row.room_id,
    appointmentTypeId: row.appointment_type_id,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    status: row.status,
    version: row.version,
    seriesId: row.series_id,
    screeningOverrideReason: row.screening_override_reason,
    cancelledReason: row.cancelled_reason,
    rescheduleRequestedAt: row.reschedule_requested_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toExistingBooking(row: AppointmentRow): ExistingBooking {
  return {
    id: row.id,
    practitionerId: row.practitioner_id,
    roomId: row.room_id,
    patientId: row.patient_id,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    status: row.status,
  };
}
