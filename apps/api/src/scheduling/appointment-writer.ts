import { APPOINTMENT_OVERLAP_CONSTRAINTS } from '@tautline/db';
import { type EntityManager } from 'typeorm';
import { PG, pgErrorOf } from '../common/pg-errors';
import { type TenantScope } from '../tenancy/tenant-scope';
import { APPOINTMENT_COLUMNS, type AppointmentRow } from './appointment.row';
import { type AppointmentsRepository } from './appointments.repository';
import { conflictProblem } from './booking.problems';

export interface NewAppointment {
  clinicId: string;
  patientId: string;
  practitionerId: string;
  roomId: string;
  appointmentTypeId: string;
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  seriesId: string | null;
  overrideReason: string | null;
  overriddenBy: string | null;
  createdBy: string;
}

const MINUTE = 60_000;

/**
 * Turns the database's exclusion-constraint refusal (a race lost between check and write)
 * into the same 409 as the pre-check, naming the resource and the appointment in the way.
 */
export async function asConflict<T>(
  tx: EntityManager,
  repo: AppointmentsRepository,
  organisationId: string,
  booking: Pick<
    NewAppointment,
    | 'practitionerId'
    | 'roomId'
    | 'patientId'
    | 'start'
    | 'end'
    | 'bufferBeforeMinutes'
    | 'bufferAfterMinutes'
  >,
  write: () => Promise<T>,
  ignoreId?: string,
): Promise<T> {
  // A savepoint keeps the transaction usable after a refusal, to name the clash on the same connection.
  await tx.query('SAVEPOINT appointment_write');
  try {
    const result = await write();
    await tx.query('RELEASE SAVEPOINT appointment_write');
    return result;
  } catch (error) {
    const pg = pgErrorOf(error);
    const resource =
      pg?.code === PG.exclusionViolation && pg.constraint
        ? APPOINTMENT_OVERLAP_CONSTRAINTS[
            pg.constraint as keyof typeof APPOINTMENT_OVERLAP_CONSTRAINTS
          ]
        : undefined;
    if (!resource) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT appointment_write');
    const occupied = {
      from: new Date(booking.start.getTime() - booking.bufferBeforeMinutes * MINUTE),
      to: new Date(booking.end.getTime() + booking.bufferAfterMinutes * MINUTE),
    };
    const resourceId = {
      practitioner: booking.practitionerId,
      room: booking.roomId,
      patient: booking.patientId,
    }[resource];
    throw conflictProblem(
      resource,
      await repo.clashing(tx, organisationId, resource, resourceId, occupied, ignoreId),
    );
  }
}

export async function insertAppointment(
  tx: EntityManager,
  scope: TenantScope,
  a: NewAppointment,
): Promise<AppointmentRow> {
  const [row] = (await tx.query(
    `INSERT INTO appointments AS a (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
       starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, series_id, screening_override_reason, overridden_by, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     RETURNING ${APPOINTMENT_COLUMNS}`,
    [
      scope.organisationId,
      a.clinicId,
      a.patientId,
      a.practitionerId,
      a.roomId,
      a.appointmentTypeId,
      a.start,
      a.end,
      a.bufferBeforeMinutes,
      a.bufferAfterMinutes,
      a.seriesId,
      a.overrideReason,
      a.overriddenBy,
      a.createdBy,
    ],
  )) as AppointmentRow[];
  return row!;
}
