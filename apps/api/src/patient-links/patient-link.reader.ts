import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import { effectivePolicy } from '@tautline/db';
import {
  type PatientAppointmentView,
  patientAppointmentView,
  type ReminderPolicy,
} from '@tautline/domain';
import { PatientLinkSigner } from '@tautline/queues';
import { DataSource } from 'typeorm';
import { ENV } from '../config/config.module';
import { APPOINTMENT_COLUMNS, type AppointmentRow } from '../scheduling/appointment.row';
import { type PatientActor, TenantScope } from '../tenancy/tenant-scope';
import { linkNotFound } from './patient-link.problems';

/** The appointment a link names, with just what the patient's page shows of its clinic and patient. */
export interface LinkedRow extends AppointmentRow {
  clinic_name: string;
  clinic_phone: string | null;
  clinic_zone: string;
  patient_first_name: string;
  patient_clinic_id: string;
}

/** A verified link: its appointment, the clinic's policy, and the scope and actor the booking service needs. */
export interface LinkedAppointment {
  row: LinkedRow;
  policy: ReminderPolicy;
  scope: TenantScope;
  actor: PatientActor;
}

/** Turns a link token into the appointment it names, or the one 404 for every bad token. */
@Injectable()
export class PatientLinkReader {
  private readonly signer: PatientLinkSigner;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENV) env: Env,
  ) {
    this.signer = new PatientLinkSigner(env.JWT_SECRET);
  }

  /** Verifies the token and loads its appointment; every failure is the same 404. */
  async open(token: string, now: Date): Promise<LinkedAppointment> {
    const claims = this.signer.verify(token, now);
    if (!claims) throw linkNotFound();
    const row = await this.load(claims.appointmentId);
    if (!row) throw linkNotFound();
    const { policy } = await effectivePolicy(this.db.manager, row.organisation_id, row.clinic_id);
    // Patient records are scoped by their home clinic, which may differ from the appointment's.
    const clinics = [...new Set([row.clinic_id, row.patient_clinic_id])];
    return {
      row,
      policy,
      scope: new TenantScope(row.organisation_id, clinics),
      actor: { kind: 'patient', patientId: row.patient_id, organisationId: row.organisation_id },
    };
  }

  /** The appointment as it is now (after a change), or undefined when it no longer exists. */
  async load(appointmentId: string): Promise<LinkedRow | undefined> {
    const rows: LinkedRow[] = await this.db.query(
      `SELECT ${APPOINTMENT_COLUMNS}, c.name AS clinic_name, c.phone AS clinic_phone, c.time_zone AS clinic_zone,
              p.given_name AS patient_first_name, p.clinic_id AS patient_clinic_id
         FROM appointments a
         JOIN clinics c ON c.id = a.clinic_id AND c.organisation_id = a.organisation_id
         JOIN patients p ON p.id = a.patient_id AND p.organisation_id = a.organisation_id
        WHERE a.id = $1`,
      [appointmentId],
    );
    return rows[0];
  }
}

/** The patient's page for a linked appointment at `now` (the rules are the domain's). */
export function present(link: LinkedAppointment, now: Date): PatientAppointmentView {
  const { row, policy } = link;
  return patientAppointmentView({
    appointment: {
      id: row.id,
      status: row.status,
      start: row.starts_at.toISOString(),
      end: row.ends_at.toISOString(),
      version: row.version,
      rescheduleRequestedAt: row.reschedule_requested_at?.toISOString() ?? null,
    },
    clinic: { name: row.clinic_name, phone: row.clinic_phone, timeZone: row.clinic_zone },
    patientFirstName: row.patient_first_name,
    policy: { lateCancelHours: policy.lateCancelHours, locale: policy.locale },
    now: now.toISOString(),
  });
}
