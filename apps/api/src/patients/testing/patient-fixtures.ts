import { type TestApp } from '../../testing/test-app';

export interface PatientFixture {
  clinicId: string;
  organisationId?: string;
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  phone?: string | null;
  email?: string | null;
  timeZone?: string;
}

/** A patient written straight to the database, so a test does not depend on the demo seed's patients. */
export async function insertPatient(t: TestApp, p: PatientFixture): Promise<string> {
  const [row] = await t.db.dataSource.query(
    `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, phone, email,
                           preferred_channel, time_zone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      p.organisationId ?? t.demo.organisationId,
      p.clinicId,
      p.givenName ?? 'Fixture',
      p.familyName ?? 'Patient',
      p.dateOfBirth ?? '1980-01-01',
      p.phone === undefined ? '+447911123456' : p.phone,
      p.email ?? null,
      p.phone === null ? 'email' : 'sms',
      p.timeZone ?? 'Europe/London',
    ],
  );
  return row.id;
}

/** Another organisation with a clinic and one patient: invisible to every demo user. */
export async function insertRivalPatient(
  t: TestApp,
  slug: string,
): Promise<{ clinicId: string; patientId: string }> {
  const [org] = await t.db.dataSource.query(
    `INSERT INTO organisations (slug, name) VALUES ($1, 'Rival Physio') RETURNING id`,
    [slug],
  );
  const [clinic] = await t.db.dataSource.query(
    `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'paris', 'Rival Paris', 'Europe/Paris') RETURNING id`,
    [org.id],
  );
  const patientId = await insertPatient(t, {
    organisationId: org.id,
    clinicId: clinic.id,
    givenName: 'Rivalda',
    familyName: 'Outsider',
    phone: '+33612345678',
    timeZone: 'Europe/Paris',
  });
  return { clinicId: clinic.id, patientId };
}

/** Row counts of every table the patient routes write (audit excluded). */
export async function patientTableCounts(t: TestApp): Promise<Record<string, number>> {
  const [row] = await t.db.dataSource.query(
    `SELECT (SELECT count(*) FROM patients)::int AS patients,
            (SELECT count(*) FROM patient_consents)::int AS consents,
            (SELECT count(*) FROM patient_contraindications)::int AS contraindications`,
  );
  return row;
}

export interface AuditRow {
  action: string;
  outcome: string;
  subject_id: string | null;
  clinic_id: string | null;
  actor_user_id: string | null;
  details: Record<string, unknown>;
}

export async function auditRows(
  t: TestApp,
  action: string,
  subjectId?: string,
): Promise<AuditRow[]> {
  return t.db.dataSource.query(
    `SELECT action, outcome, subject_id, clinic_id, actor_user_id, details FROM audit_events
     WHERE action = $1 AND ($2::uuid IS NULL OR subject_id = $2) ORDER BY id`,
    [action, subjectId ?? null],
  );
}
