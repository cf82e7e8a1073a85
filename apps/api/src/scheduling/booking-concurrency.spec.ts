import { startTestApp, type TestApp } from '../testing/test-app';
import { type BookingFixture, loadBookingFixture, upcoming } from './testing/booking-fixture';

/**
 * 50 simultaneous requests for overlapping times through the real API: exactly one wins, the rest
 * get a 409, and PostgreSQL holds no overlapping active appointments afterwards.
 */
describe('booking under contention (50 concurrent requests)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;
  let patients: string[];
  let practitioners: string[];

  beforeAll(async () => {
    t = await startTestApp('contention');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
    const org = t.demo.organisationId;
    // 50 consenting patients and 50 certified practitioners working Monday to Friday at London Bridge.
    patients = (
      await t.db.dataSource.query(
        `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, preferred_channel, email, time_zone)
         SELECT $1, $2, 'Load' || n, 'Test', DATE '1980-01-01', 'email', 'load' || n || '@example.com', 'Europe/London'
         FROM generate_series(1, 50) n RETURNING id`,
        [org, f.londonBridge],
      )
    ).map((r: { id: string }) => r.id);
    await t.db.dataSource.query(
      `INSERT INTO patient_consents (patient_id, organisation_id, kind, signed_on, version)
       SELECT unnest($1::uuid[]), $2, 'dry_needling', DATE '2026-01-01', 'v1'`,
      [patients, org],
    );
    practitioners = (
      await t.db.dataSource.query(
        `INSERT INTO practitioners (organisation_id, name, dry_needling_cert_expires_on)
         SELECT $1, 'Load practitioner ' || n, DATE '2035-01-01' FROM generate_series(1, 50) n RETURNING id`,
        [org],
      )
    ).map((r: { id: string }) => r.id);
    await t.db.dataSource.query(
      `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id) SELECT unnest($1::uuid[]), $2, $3`,
      [practitioners, f.londonBridge, org],
    );
    await t.db.dataSource.query(
      `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from)
       SELECT $3, p, $2, d, '08:00', '18:00', DATE '2026-01-01' FROM unnest($1::uuid[]) p, generate_series(1, 5) d`,
      [practitioners, f.londonBridge, org],
    );
  });
  afterAll(() => t.close());

  const book = (body: Record<string, unknown>) =>
    t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: { clinicId: f.londonBridge, ...body },
    });

  async function overlaps(resource: 'practitioner' | 'room' | 'patient'): Promise<number> {
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM appointments a JOIN appointments b
         ON a.${resource}_id = b.${resource}_id AND a.id < b.id AND a.occupied && b.occupied
       WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`,
    );
    return n;
  }

  async function race(bodies: Record<string, unknown>[]): Promise<number[]> {
    const responses = await Promise.all(bodies.map(book));
    return responses.map((r) => r.status).sort();
  }

  // Starts 10:00–10:20 local with 30- and 60-minute types: every pair overlaps.
  const startAt = (weekday: number, i: number) =>
    upcoming(weekday, `10:${String((i % 5) * 5).padStart(2, '0')}`);
  const typeFor = (i: number) => (i % 2 ? f.dryNeedling30 : f.evaluation60);

  it('one practitioner: exactly one 201, 49 × 409, no overlap stored', async () => {
    const statuses = await race(
      patients.map((patientId, i) => ({
        patientId,
        practitionerId: practitioners[0],
        appointmentTypeId: typeFor(i),
        start: startAt(1, i),
      })),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(await overlaps('practitioner')).toBe(0);
  });

  it('one room: exactly one 201, 49 × 409, no overlap stored', async () => {
    const roomId = f.rooms.plain[0];
    const statuses = await race(
      patients.map((patientId, i) => ({
        patientId,
        practitionerId: practitioners[i],
        roomId,
        appointmentTypeId: typeFor(i),
        start: startAt(2, i),
      })),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(await overlaps('room')).toBe(0);
  });

  it('one patient: exactly one 201, 49 × 409, no overlap stored', async () => {
    const statuses = await race(
      practitioners.map((practitionerId, i) => ({
        patientId: patients[0],
        practitionerId,
        appointmentTypeId: typeFor(i),
        start: startAt(3, i),
      })),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(await overlaps('patient')).toBe(0);
  });
});
