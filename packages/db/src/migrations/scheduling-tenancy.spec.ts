import {
  createSchedulingWorld,
  insertAppointment,
  pgFailure,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

describe('scheduling schema: tenancy (real PostgreSQL)', () => {
  let db: TestDatabase;
  const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase('schedtenancy');
  });
  afterAll(() => db.drop());

  describe('tenancy', () => {
    let a: SchedulingWorld;
    let b: SchedulingWorld;
    beforeAll(async () => {
      a = await createSchedulingWorld(db.dataSource, 'tenant-a');
      b = await createSchedulingWorld(db.dataSource, 'tenant-b');
    });

    it.each([
      ['patient', { patientIds: () => b.patientIds }],
      ['practitioner', { practitionerIds: () => b.practitionerIds }],
      ['room', { roomIds: () => b.roomIds }],
      ['clinic', { clinicId: () => b.clinicId }],
    ] as const)(
      "refuses an appointment pointing at another organisation's %s",
      async (_what, swap) => {
        const mixed = {
          ...a,
          ...Object.fromEntries(Object.entries(swap).map(([k, f]) => [k, f()])),
        } as SchedulingWorld;
        const err = await pgFailure(
          insertAppointment(db.dataSource, mixed, {
            startsAt: '2026-04-01T09:00:00Z',
            minutes: 30,
          }),
        );
        expect(err.code).toBe('23503');
      },
    );

    it('refuses a room of another clinic of the same organisation', async () => {
      const [other] = await q(
        `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'second', 'Second', 'Europe/London') RETURNING id`,
        [a.organisationId],
      );
      const [room] = await q(
        `INSERT INTO rooms (organisation_id, clinic_id, name) VALUES ($1, $2, 'Far') RETURNING id`,
        [a.organisationId, other.id],
      );
      const err = await pgFailure(
        insertAppointment(
          db.dataSource,
          { ...a, roomIds: [room.id] },
          { startsAt: '2026-04-02T09:00:00Z', minutes: 30 },
        ),
      );
      expect(err.code).toBe('23503');
    });

    it('refuses cross-organisation links between resources', async () => {
      const crossings = [
        () =>
          q(
            `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
            [a.practitionerIds[0], b.clinicId, a.organisationId],
          ),
        () =>
          q(
            `INSERT INTO patient_consents (patient_id, organisation_id, kind, signed_on, version) VALUES ($1, $2, 'estim', '2026-01-01', 'v1')`,
            [a.patientIds[0], b.organisationId],
          ),
        () =>
          q(
            `INSERT INTO practitioners (organisation_id, name, user_id) VALUES ($1, 'Borrowed login', $2)`,
            [a.organisationId, b.userId],
          ),
        () =>
          q(
            `INSERT INTO audit_events (organisation_id, clinic_id, action, subject_type, outcome) VALUES ($1, $2, 'patient.read', 'patient', 'success')`,
            [a.organisationId, b.clinicId],
          ),
      ];
      for (const crossing of crossings) expect((await pgFailure(crossing())).code).toBe('23503');
    });

    it('refuses availability at a clinic the practitioner does not work at', async () => {
      const [other] = await q(
        `SELECT id FROM clinics WHERE organisation_id = $1 AND slug = 'second'`,
        [a.organisationId],
      );
      const err = await pgFailure(
        q(
          `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from)
           VALUES ($1, $2, $3, 1, '09:00', '12:00', '2026-01-01')`,
          [a.organisationId, a.practitionerIds[0], other.id],
        ),
      );
      expect(err.code).toBe('23503');
    });

    it('removes everything of an organisation when it is deleted', async () => {
      await insertAppointment(db.dataSource, b, { startsAt: '2026-04-03T09:00:00Z', minutes: 30 });
      await q(`DELETE FROM organisations WHERE id = $1`, [b.organisationId]);
      const [{ left }] = await q(
        `SELECT (SELECT count(*) FROM appointments WHERE organisation_id = $1) + (SELECT count(*) FROM patients WHERE organisation_id = $1)
              + (SELECT count(*) FROM rooms WHERE organisation_id = $1) AS left`,
        [b.organisationId],
      );
      expect(Number(left)).toBe(0);
    });
  });
});
