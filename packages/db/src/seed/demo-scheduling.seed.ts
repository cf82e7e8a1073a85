import { type EntityManager } from 'typeorm';
import {
  DEMO_APPOINTMENT_TYPES,
  DEMO_AVAILABILITY_FROM,
  DEMO_CLINICS,
  DEMO_PATIENTS,
  DEMO_PRACTITIONERS,
  DEMO_ROOMS,
  DEMO_WORKING_HOURS,
  type DemoPatient,
  type DemoPractitioner,
} from './demo-data';

export interface SeededScheduling {
  /** Keyed `clinic-slug/Room name`. */
  roomIds: Record<string, string>;
  /** Keyed by practitioner name. */
  practitionerIds: Record<string, string>;
  /** Keyed by appointment type name. */
  appointmentTypeIds: Record<string, string>;
  /** Keyed `Given Family`. */
  patientIds: Record<string, string>;
}

interface Context {
  tx: EntityManager;
  organisationId: string;
  clinicIds: Record<string, string>;
  userIds: Record<string, string>;
}

export const demoRoomKey = (clinic: string, name: string) => `${clinic}/${name}`;
export const demoPatientKey = (p: Pick<DemoPatient, 'givenName' | 'familyName'>) =>
  `${p.givenName} ${p.familyName}`;

const clinicId = (ctx: Context, slug: string): string => {
  const id = ctx.clinicIds[slug];
  if (!id) throw new Error(`demo clinic ${slug} is not seeded`);
  return id;
};

/**
 * Writes the demo's rooms, practitioners, availability, appointment types and patients.
 * Idempotent: upserts on natural keys and keeps ids. Practitioners and patients have no unique
 * natural key in the schema (two people may share a name), so they are looked up by name
 * (and date of birth); the caller holds the seed's advisory lock, so two seeds never race.
 */
export async function seedDemoScheduling(ctx: Context): Promise<SeededScheduling> {
  const { tx, organisationId } = ctx;
  const roomIds: Record<string, string> = {};
  for (const r of DEMO_ROOMS) {
    const [row] = await tx.query(
      `INSERT INTO rooms (organisation_id, clinic_id, name, has_stimulator) VALUES ($1, $2, $3, $4)
       ON CONFLICT (clinic_id, name) DO UPDATE SET has_stimulator = EXCLUDED.has_stimulator, active = true
       RETURNING id`,
      [organisationId, clinicId(ctx, r.clinic), r.name, r.hasStimulator],
    );
    roomIds[demoRoomKey(r.clinic, r.name)] = row.id;
  }

  const appointmentTypeIds: Record<string, string> = {};
  for (const t of DEMO_APPOINTMENT_TYPES) {
    const [row] = await tx.query(
      `INSERT INTO appointment_types (organisation_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes,
         requires_dry_needling_cert, uses_estim, colour)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (organisation_id, name) DO UPDATE SET duration_minutes = EXCLUDED.duration_minutes,
         buffer_before_minutes = EXCLUDED.buffer_before_minutes, buffer_after_minutes = EXCLUDED.buffer_after_minutes,
         requires_dry_needling_cert = EXCLUDED.requires_dry_needling_cert, uses_estim = EXCLUDED.uses_estim,
         colour = EXCLUDED.colour, active = true
       RETURNING id`,
      [
        organisationId,
        t.name,
        t.durationMinutes,
        t.bufferBeforeMinutes,
        t.bufferAfterMinutes,
        t.requiresDryNeedlingCert,
        t.usesEstim,
        t.colour,
      ],
    );
    appointmentTypeIds[t.name] = row.id;
  }

  const practitionerIds: Record<string, string> = {};
  for (const p of DEMO_PRACTITIONERS) practitionerIds[p.name] = await seedPractitioner(ctx, p);

  const patientIds: Record<string, string> = {};
  for (const p of DEMO_PATIENTS) patientIds[demoPatientKey(p)] = await seedPatient(ctx, p);

  return { roomIds, practitionerIds, appointmentTypeIds, patientIds };
}

async function seedPractitioner(ctx: Context, p: DemoPractitioner): Promise<string> {
  const { tx, organisationId } = ctx;
  const values = [
    p.credentials,
    p.dryNeedlingCertExpiresOn,
    p.estimQualified,
    p.userEmail ? ctx.userIds[p.userEmail] : null,
  ];
  const [existing] = await tx.query(
    `SELECT id FROM practitioners WHERE organisation_id = $1 AND name = $2 ORDER BY id LIMIT 1`,
    [organisationId, p.name],
  );
  // TypeORM answers UPDATE … RETURNING as [rows, count], so updates return nothing here.
  let id: string = existing?.id;
  if (existing) {
    await tx.query(
      `UPDATE practitioners SET credentials = $2, dry_needling_cert_expires_on = $3, estim_qualified = $4, user_id = $5,
         active = true WHERE id = $1`,
      [id, ...values],
    );
  } else {
    const [row] = await tx.query(
      `INSERT INTO practitioners (organisation_id, name, credentials, dry_needling_cert_expires_on, estim_qualified, user_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [organisationId, p.name, ...values],
    );
    id = row.id;
  }

  const wanted = p.clinics.map((c) => clinicId(ctx, c.slug));
  // Leaving a clinic removes the availability there too (foreign key cascade).
  await tx.query(
    `DELETE FROM practitioner_clinics WHERE practitioner_id = $1 AND NOT (clinic_id = ANY($2::uuid[]))`,
    [id, wanted],
  );
  await tx.query(
    `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id)
     SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
    [id, wanted, organisationId],
  );

  const rules = p.clinics.flatMap((c) =>
    c.weekdays.flatMap((weekday) =>
      DEMO_WORKING_HOURS.map((h) => ({ clinicId: clinicId(ctx, c.slug), weekday, ...h })),
    ),
  );
  const columns = [
    rules.map((r) => r.clinicId),
    rules.map((r) => r.weekday),
    rules.map((r) => r.start),
    rules.map((r) => r.end),
  ];
  await tx.query(
    `DELETE FROM availability_rules WHERE practitioner_id = $1 AND (clinic_id, weekday, start_time, effective_from) NOT IN
       (SELECT c, d, s, $6::date FROM unnest($2::uuid[], $3::smallint[], $4::time[], $5::time[]) AS u(c, d, s, e))`,
    [id, ...columns, DEMO_AVAILABILITY_FROM],
  );
  await tx.query(
    `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from)
     SELECT $1, $2, c, d, s, e, $7 FROM unnest($3::uuid[], $4::smallint[], $5::time[], $6::time[]) AS u(c, d, s, e)
     ON CONFLICT ON CONSTRAINT availability_rules_natural_key DO UPDATE SET end_time = EXCLUDED.end_time, effective_to = NULL`,
    [organisationId, id, ...columns, DEMO_AVAILABILITY_FROM],
  );
  return id;
}

async function seedPatient(ctx: Context, p: DemoPatient): Promise<string> {
  const { tx, organisationId } = ctx;
  const home = DEMO_CLINICS.find((c) => c.slug === p.clinic);
  const values = [clinicId(ctx, p.clinic), p.phone, p.email, p.preferredChannel, home?.timeZone];
  const [existing] = await tx.query(
    `SELECT id FROM patients WHERE organisation_id = $1 AND given_name = $2 AND family_name = $3 AND date_of_birth = $4
     ORDER BY id LIMIT 1`,
    [organisationId, p.givenName, p.familyName, p.dateOfBirth],
  );
  let id: string = existing?.id;
  if (existing) {
    await tx.query(
      `UPDATE patients SET clinic_id = $2, phone = $3, email = $4, preferred_channel = $5, time_zone = $6 WHERE id = $1`,
      [id, ...values],
    );
  } else {
    const [row] = await tx.query(
      `INSERT INTO patients (organisation_id, given_name, family_name, date_of_birth, clinic_id, phone, email,
         preferred_channel, time_zone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [organisationId, p.givenName, p.familyName, p.dateOfBirth, ...values],
    );
    id = row.id;
  }

  for (const c of p.consents) {
    await tx.query(
      `INSERT INTO patient_consents (patient_id, organisation_id, kind, signed_on, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (patient_id, kind, version) DO UPDATE SET signed_on = EXCLUDED.signed_on`,
      [id, organisationId, c.kind, c.signedOn, c.version],
    );
  }
  const codes = p.contraindications.map((c) => c.code);
  await tx.query(
    `DELETE FROM patient_contraindications WHERE patient_id = $1 AND NOT (code = ANY($2::text[]))`,
    [id, codes],
  );
  for (const c of p.contraindications) {
    await tx.query(
      `INSERT INTO patient_contraindications (patient_id, organisation_id, code, noted_on, note) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (patient_id, code) DO UPDATE SET noted_on = EXCLUDED.noted_on, note = EXCLUDED.note`,
      [id, organisationId, c.code, c.notedOn, c.note ?? null],
    );
  }
  return id;
}
