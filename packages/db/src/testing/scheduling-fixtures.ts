import { type DataSource } from 'typeorm';

/** One organisation with a clinic and some scheduling resources, written with plain SQL. */
export interface SchedulingWorld {
  organisationId: string;
  clinicId: string;
  userId: string;
  appointmentTypeId: string;
  practitionerIds: string[];
  roomIds: string[];
  patientIds: string[];
}

export interface WorldSize {
  practitioners?: number;
  rooms?: number;
  patients?: number;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

export async function createSchedulingWorld(
  ds: DataSource,
  slug: string,
  size: WorldSize = {},
): Promise<SchedulingWorld> {
  const [org] = await ds.query(
    `INSERT INTO organisations (slug, name) VALUES ($1, $1) RETURNING id`,
    [slug],
  );
  const organisationId: string = org.id;
  const [clinic] = await ds.query(
    `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'main', 'Main', 'Europe/London') RETURNING id`,
    [organisationId],
  );
  const clinicId: string = clinic.id;
  const [user] = await ds.query(
    `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, 'Desk', 'scheduler', 'x') RETURNING id`,
    [organisationId, `desk@${slug}.test`],
  );
  const [type] = await ds.query(
    `INSERT INTO appointment_types (organisation_id, name, duration_minutes, colour) VALUES ($1, 'Dry needling', 30, '#1f7a8c') RETURNING id`,
    [organisationId],
  );
  const practitionerIds = ids(
    await ds.query(
      `INSERT INTO practitioners (organisation_id, name, dry_needling_cert_expires_on)
       SELECT $1, 'Practitioner ' || n, DATE '2030-01-01' FROM generate_series(1, $2::int) n RETURNING id`,
      [organisationId, size.practitioners ?? 2],
    ),
  );
  await ds.query(
    `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id) SELECT unnest($1::uuid[]), $2, $3`,
    [practitionerIds, clinicId, organisationId],
  );
  const roomIds = ids(
    await ds.query(
      `INSERT INTO rooms (organisation_id, clinic_id, name) SELECT $1, $2, 'Room ' || n FROM generate_series(1, $3::int) n RETURNING id`,
      [organisationId, clinicId, size.rooms ?? 2],
    ),
  );
  const patientIds = ids(
    await ds.query(
      `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, phone, preferred_channel, time_zone)
       SELECT $1, $2, 'Given' || n, 'Family', DATE '1980-01-01', '+447700900' || lpad(n::text, 3, '0'), 'sms', 'Europe/London'
       FROM generate_series(1, $3::int) n RETURNING id`,
      [organisationId, clinicId, size.patients ?? 2],
    ),
  );
  return {
    organisationId,
    clinicId,
    userId: user.id,
    appointmentTypeId: type.id,
    practitionerIds,
    roomIds,
    patientIds,
  };
}

export interface AppointmentInput {
  practitioner?: number;
  room?: number;
  patient?: number;
  startsAt: string;
  minutes: number;
  before?: number;
  after?: number;
  status?: string;
  cancelledReason?: string;
}

/** Inserts one appointment (resources by index into the world's lists) and answers its id. */
export async function insertAppointment(
  ds: DataSource,
  w: SchedulingWorld,
  a: AppointmentInput,
): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
       starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, status, cancelled_reason, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz + make_interval(mins => $8), $9, $10, $11, $12, $13)
     RETURNING id`,
    [
      w.organisationId,
      w.clinicId,
      w.patientIds[a.patient ?? 0],
      w.practitionerIds[a.practitioner ?? 0],
      w.roomIds[a.room ?? 0],
      w.appointmentTypeId,
      a.startsAt,
      a.minutes,
      a.before ?? 0,
      a.after ?? 0,
      a.status ?? 'booked',
      a.cancelledReason ?? null,
      w.userId,
    ],
  );
  return row.id;
}

export interface PgFailure {
  code: string;
  constraint?: string;
  message: string;
}

/** The PostgreSQL error a statement fails with (TypeORM copies `code` and `constraint` from the driver). */
export async function pgFailure(statement: Promise<unknown>): Promise<PgFailure> {
  try {
    await statement;
  } catch (err) {
    return err as PgFailure;
  }
  throw new Error('expected the statement to fail');
}
