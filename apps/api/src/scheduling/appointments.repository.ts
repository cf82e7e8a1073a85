import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ExistingBooking } from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { type TenantScope } from '../tenancy/tenant-scope';
import { APPOINTMENT_COLUMNS, type AppointmentRow, toExistingBooking } from './appointment.row';

export interface BookingWindow {
  clinicId: string;
  practitionerIds: readonly string[];
  patientId?: string;
  from: Date;
  to: Date;
}

/** Appointment reads and writes; every query is one indexed range scan, scoped to the organisation. */
@Injectable()
export class AppointmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Every active booking that can clash inside the window: the clinic's rooms, the practitioners
   * (at any clinic) and the patient. Ranges include buffers (`occupied`).
   */
  async bookingsAround(
    scope: TenantScope,
    w: BookingWindow,
    tx: EntityManager = this.db.manager,
  ): Promise<ExistingBooking[]> {
    const rows: AppointmentRow[] = await tx.query(
      `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a
        WHERE a.organisation_id = $1 AND a.status <> 'cancelled'
          AND a.occupied && tstzrange($2, $3, '[)')
          AND (a.clinic_id = $4 OR a.practitioner_id = ANY($5::uuid[]) OR a.patient_id = $6)`,
      [scope.organisationId, w.from, w.to, w.clinicId, w.practitionerIds, w.patientId ?? null],
    );
    return rows.map(toExistingBooking);
  }

  /** One appointment the caller may see, or undefined (the caller answers 404). */
  async find(
    scope: TenantScope,
    id: string,
    tx: EntityManager = this.db.manager,
    lock = false,
  ): Promise<AppointmentRow | undefined> {
    const rows: AppointmentRow[] = await tx.query(
      `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a
        WHERE a.id = $1 AND a.organisation_id = $2 AND a.clinic_id = ANY($3::uuid[])${lock ? ' FOR UPDATE' : ''}`,
      [id, scope.organisationId, scope.clinicIds],
    );
    return rows[0];
  }

  async list(
    scope: TenantScope,
    filter: {
      clinicId?: string;
      roomId?: string;
      practitionerId?: string;
      patientId?: string;
      from: Date;
      to: Date;
    },
  ): Promise<AppointmentRow[]> {
    return this.db.query(
      `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a
        WHERE a.organisation_id = $1 AND a.clinic_id = ANY($2::uuid[])
          AND a.starts_at < $4 AND a.ends_at > $3
          AND ($5::uuid IS NULL OR a.clinic_id = $5) AND ($6::uuid IS NULL OR a.room_id = $6)
          AND ($7::uuid IS NULL OR a.practitioner_id = $7) AND ($8::uuid IS NULL OR a.patient_id = $8)
        ORDER BY a.starts_at, a.id`,
      [
        scope.organisationId,
        scope.clinicIds,
        filter.from,
        filter.to,
        filter.clinicId ?? null,
        filter.roomId ?? null,
        filter.practitionerId ?? null,
        filter.patientId ?? null,
      ],
    );
  }

  /** The active appointment holding a resource's time, to name it in a 409. */
  async clashing(
    tx: EntityManager,
    organisationId: string,
    resource: 'practitioner' | 'room' | 'patient',
    resourceId: string,
    occupied: { from: Date; to: Date },
    ignoreId?: string,
  ): Promise<string | null> {
    const rows: { id: string }[] = await tx.query(
      `SELECT id FROM appointments
        WHERE organisation_id = $1 AND ${resource}_id = $2 AND status <> 'cancelled'
          AND occupied && tstzrange($3, $4, '[)') AND ($5::uuid IS NULL OR id <> $5)
        ORDER BY starts_at LIMIT 1`,
      [organisationId, resourceId, occupied.from, occupied.to, ignoreId ?? null],
    );
    return rows[0]?.id ?? null;
  }
}
