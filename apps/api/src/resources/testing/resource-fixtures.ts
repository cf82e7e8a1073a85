import { type DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** Another organisation with one of everything, written with plain SQL: its ids must answer 404. */
export interface RivalOrganisation {
  organisationId: string;
  clinicId: string;
  roomId: string;
  practitionerId: string;
  appointmentTypeId: string;
  ruleId: string;
  exceptionId: string;
  closureId: string;
}

export async function createRivalOrganisation(
  ds: DataSource,
  slug = 'rival',
): Promise<RivalOrganisation> {
  const one = async (sql: string, params: unknown[]): Promise<string> =>
    ((await ds.query(sql, params)) as { id: string }[])[0]!.id;
  const organisationId = await one(
    `INSERT INTO organisations (slug, name) VALUES ($1, 'Rival Physio') RETURNING id`,
    [slug],
  );
  const clinicId = await one(
    `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'paris', 'Rival Paris', 'Europe/Paris') RETURNING id`,
    [organisationId],
  );
  const roomId = await one(
    `INSERT INTO rooms (organisation_id, clinic_id, name) VALUES ($1, $2, 'Rival room') RETURNING id`,
    [organisationId, clinicId],
  );
  const practitionerId = await one(
    `INSERT INTO practitioners (organisation_id, name) VALUES ($1, 'Rival Practitioner') RETURNING id`,
    [organisationId],
  );
  await ds.query(
    `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
    [practitionerId, clinicId, organisationId],
  );
  const appointmentTypeId = await one(
    `INSERT INTO appointment_types (organisation_id, name, duration_minutes, colour) VALUES ($1, 'Rival needling', 30, '#123456') RETURNING id`,
    [organisationId],
  );
  const ruleId = await one(
    `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from)
     VALUES ($1, $2, $3, 1, '09:00', '17:00', '2026-01-01') RETURNING id`,
    [organisationId, practitionerId, clinicId],
  );
  const exceptionId = await one(
    `INSERT INTO availability_exceptions (organisation_id, practitioner_id, clinic_id, kind, during)
     VALUES ($1, $2, $3, 'time_off', tstzrange('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')) RETURNING id`,
    [organisationId, practitionerId, clinicId],
  );
  const closureId = await one(
    `INSERT INTO clinic_closures (organisation_id, clinic_id, during, reason)
     VALUES ($1, $2, tstzrange('2026-12-25T00:00:00Z', '2026-12-26T00:00:00Z'), 'Noël') RETURNING id`,
    [organisationId, clinicId],
  );
  return {
    organisationId,
    clinicId,
    roomId,
    practitionerId,
    appointmentTypeId,
    ruleId,
    exceptionId,
    closureId,
  };
}

/** An admin of the demo organisation who only belongs to some clinics (same password as the demo users). */
export async function createClinicAdmin(
  t: TestApp,
  email: string,
  clinicSlugs: string[],
): Promise<string> {
  const [user] = await t.db.dataSource.query(
    `INSERT INTO users (organisation_id, email, name, role, password_hash)
     SELECT organisation_id, $1, 'Clinic Admin', 'admin', password_hash FROM users WHERE email = 'admin@tautline.test'
     RETURNING id`,
    [email],
  );
  for (const slug of clinicSlugs) {
    await t.db.dataSource.query(
      `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
      [user.id, t.demo.clinicIds[slug], t.demo.organisationId],
    );
  }
  return t.login(email);
}

export async function countRows(ds: DataSource, table: string): Promise<number> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

export interface AuditRow {
  action: string;
  subject_type: string;
  subject_id: string | null;
  clinic_id: string | null;
  actor_user_id: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

export async function auditEvents(ds: DataSource, subjectId: string): Promise<AuditRow[]> {
  return ds.query(
    `SELECT action, subject_type, subject_id, clinic_id, actor_user_id, outcome, details FROM audit_events
     WHERE subject_id = $1 ORDER BY id`,
    [subjectId],
  );
}

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The app with the demo seed, a rival organisation, and tokens for the admin (all clinics), the
 * scheduler (London Bridge, Manchester) and the practitioner (New York Chelsea): what tenancy tests need.
 */
export async function startTenancyWorld(label: string) {
  const t = await startTestApp(label);
  const [admin, scheduler, practitioner] = await Promise.all([
    t.login('admin@tautline.test'),
    t.login('scheduler@tautline.test'),
    t.login('practitioner@tautline.test'),
  ]);
  const rival = await createRivalOrganisation(t.db.dataSource);
  return {
    t,
    admin,
    scheduler,
    practitioner,
    rival,
    london: t.demo.clinicIds['london-bridge']!,
    newYork: t.demo.clinicIds['new-york-chelsea']!,
  };
}
