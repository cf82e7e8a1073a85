import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  DEMO_APPOINTMENT_TYPES,
  DEMO_CLINICS,
  DEMO_PATIENTS,
  DEMO_PRACTITIONERS,
  DEMO_ROOMS,
} from './demo-data';
import { seedDemo, type SeededDemo } from './demo.seed';

describe('demo scheduling seed (real PostgreSQL)', () => {
  let db: TestDatabase;
  let demo: SeededDemo;
  const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);
  const count = async (table: string) =>
    (await q(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase('demoscheduling');
    demo = await seedDemo(db.dataSource);
  });
  afterAll(() => db.drop());

  it('gives every clinic four rooms, two with a stimulator', async () => {
    const rows = await q(
      `SELECT c.slug, count(*)::int AS rooms, count(*) FILTER (WHERE r.has_stimulator)::int AS stimulators
       FROM rooms r JOIN clinics c ON c.id = r.clinic_id GROUP BY c.slug ORDER BY c.slug`,
    );
    expect(rows).toEqual(
      DEMO_CLINICS.map((c) => ({ slug: c.slug, rooms: 4, stimulators: 2 })).sort((a, b) =>
        a.slug.localeCompare(b.slug),
      ),
    );
    expect(Object.keys(demo.roomIds)).toHaveLength(DEMO_ROOMS.length);
  });

  it('has e-stim qualified practitioners, one with a lapsed certification, and links the practitioner login', async () => {
    const [row] = await q(
      `SELECT count(*) FILTER (WHERE estim_qualified)::int AS estim,
              count(*) FILTER (WHERE dry_needling_cert_expires_on < current_date)::int AS lapsed,
              count(*)::int AS total FROM practitioners`,
    );
    expect(row.total).toBe(DEMO_PRACTITIONERS.length);
    expect(row.estim).toBeGreaterThanOrEqual(2);
    expect(row.lapsed).toBe(1);
    const [pat] = await q(`SELECT user_id FROM practitioners WHERE id = $1`, [
      demo.practitionerIds['Pat Practitioner'],
    ]);
    expect(pat.user_id).toBe(demo.userIds['practitioner@tautline.test']);
  });

  it('makes everyone available Mon–Fri 08:00–12:00 and 13:00–18:00 local, only where they work', async () => {
    const shapes = await q(
      `SELECT DISTINCT to_char(start_time, 'HH24:MI') || '-' || to_char(end_time, 'HH24:MI') AS hours FROM availability_rules ORDER BY 1`,
    );
    expect(shapes.map((s: { hours: string }) => s.hours)).toEqual(['08:00-12:00', '13:00-18:00']);
    const [{ weekend }] = await q(
      `SELECT count(*)::int AS weekend FROM availability_rules WHERE weekday > 5`,
    );
    expect(weekend).toBe(0);
    const expected = DEMO_PRACTITIONERS.flatMap((p) => p.clinics).reduce(
      (n, c) => n + c.weekdays.length * 2,
      0,
    );
    expect(await count('availability_rules')).toBe(expected);
  });

  it('seeds the three appointment types with their buffers', async () => {
    const types = await q(
      `SELECT name, duration_minutes, buffer_before_minutes, buffer_after_minutes, requires_dry_needling_cert, uses_estim
       FROM appointment_types ORDER BY duration_minutes`,
    );
    expect(types).toEqual(
      DEMO_APPOINTMENT_TYPES.map((t) => ({
        name: t.name,
        duration_minutes: t.durationMinutes,
        buffer_before_minutes: t.bufferBeforeMinutes,
        buffer_after_minutes: t.bufferAfterMinutes,
        requires_dry_needling_cert: t.requiresDryNeedlingCert,
        uses_estim: t.usesEstim,
      })),
    );
  });

  it("seeds patients in their clinic's zone, with consents and the pacemaker and anticoagulant cases", async () => {
    expect(await count('patients')).toBe(DEMO_PATIENTS.length);
    const [{ mismatched }] = await q(
      `SELECT count(*)::int AS mismatched FROM patients p JOIN clinics c ON c.id = p.clinic_id WHERE p.time_zone <> c.time_zone`,
    );
    expect(mismatched).toBe(0);
    const codes = await q(`SELECT code FROM patient_contraindications ORDER BY code`);
    expect(codes.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['anticoagulants', 'pacemaker']),
    );
    expect(await count('patient_consents')).toBe(
      DEMO_PATIENTS.reduce((n, p) => n + p.consents.length, 0),
    );
  });

  it('is idempotent: a second run keeps ids and rows, and puts back what was changed', async () => {
    const tables = [
      'rooms',
      'practitioners',
      'practitioner_clinics',
      'availability_rules',
      'appointment_types',
      'patients',
      'patient_consents',
      'patient_contraindications',
    ];
    const before = await Promise.all(tables.map(count));
    await q(`DELETE FROM availability_rules WHERE practitioner_id = $1 AND weekday = 1`, [
      demo.practitionerIds['Rhys Calloway'],
    ]);
    await q(
      `INSERT INTO patient_contraindications (patient_id, organisation_id, code, noted_on) VALUES ($1, $2, 'epilepsy', '2026-01-01')`,
      [demo.patientIds['Olivia Marsh'], demo.organisationId],
    );
    const again = await seedDemo(db.dataSource);
    expect(again).toEqual(demo);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });
});
