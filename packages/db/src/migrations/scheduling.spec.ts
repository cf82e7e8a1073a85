import { ENTITIES } from '../data-source';
import { AppointmentEntity } from '../entities/appointment.entity';
import {
  createSchedulingWorld,
  insertAppointment,
  pgFailure,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const SCHEDULING_TABLES = [
  'appointment_types',
  'appointments',
  'audit_events',
  'availability_exceptions',
  'availability_rules',
  'clinic_closures',
  'idempotency_keys',
  'patient_consents',
  'patient_contraindications',
  'patients',
  'practitioner_clinics',
  'practitioners',
  'rooms',
];

/** information_schema udt names of the column types the entities use. */
const UDT: Record<string, string> = {
  uuid: 'uuid',
  text: 'text',
  boolean: 'bool',
  integer: 'int4',
  int4: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  date: 'date',
  time: 'time',
  timestamptz: 'timestamptz',
  tstzrange: 'tstzrange',
  jsonb: 'jsonb',
};

describe('scheduling schema (real PostgreSQL)', () => {
  let db: TestDatabase;
  const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase('scheduling');
  });
  afterAll(() => db.drop());

  describe('migration', () => {
    it('applies from empty with every scheduling table and nothing pending', async () => {
      const rows: { table_name: string }[] = await q(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(SCHEDULING_TABLES));
      expect(await db.dataSource.showMigrations()).toBe(false);
    });

    it('matches every entity column, by snake_case name and type', async () => {
      const columns: {
        table_name: string;
        column_name: string;
        udt_name: string;
        is_nullable: string;
      }[] = await q(
        `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      const found = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c]));
      for (const entity of ENTITIES) {
        const meta = db.dataSource.getMetadata(entity);
        for (const col of meta.columns) {
          const actual = found.get(`${meta.tableName}.${col.databaseName}`);
          expect({
            column: `${meta.tableName}.${col.databaseName}`,
            udt: actual?.udt_name,
            nullable: actual?.is_nullable,
          }).toEqual({
            column: `${meta.tableName}.${col.databaseName}`,
            udt: UDT[String(col.type)],
            nullable: col.isNullable ? 'YES' : 'NO',
          });
        }
      }
    });
  });

  it('round-trips an appointment through the TypeORM entity (occupied and version maintained)', async () => {
    const w = await createSchedulingWorld(db.dataSource, 'entity');
    const repo = db.dataSource.getRepository(AppointmentEntity);
    const saved = await repo.save(
      repo.create({
        organisationId: w.organisationId,
        clinicId: w.clinicId,
        patientId: w.patientIds[0],
        practitionerId: w.practitionerIds[0],
        roomId: w.roomIds[0],
        appointmentTypeId: w.appointmentTypeId,
        startsAt: new Date('2026-07-06T08:00:00Z'),
        endsAt: new Date('2026-07-06T08:30:00Z'),
        bufferBeforeMinutes: 5,
        bufferAfterMinutes: 10,
        createdBy: w.userId,
      }),
    );
    expect(saved).toMatchObject({ status: 'booked', version: 1 });
    saved.startsAt = new Date('2026-07-06T09:00:00Z');
    saved.endsAt = new Date('2026-07-06T09:30:00Z');
    await repo.save(saved);
    const loaded = await repo.findOneByOrFail({ id: saved.id });
    expect(loaded).toMatchObject({
      version: 2,
      occupied: '["2026-07-06 08:55:00+00","2026-07-06 09:40:00+00")',
      seriesId: null,
    });
  });

  describe('exclusion constraints', () => {
    let w: SchedulingWorld;
    beforeAll(async () => {
      w = await createSchedulingWorld(db.dataSource, 'overlaps', {
        practitioners: 3,
        rooms: 3,
        patients: 3,
      });
    });

    it.each([
      ['practitioner', { practitioner: 0, room: 1, patient: 1 }],
      ['room', { practitioner: 1, room: 0, patient: 1 }],
      ['patient', { practitioner: 1, room: 1, patient: 0 }],
    ] as const)('refuses two active appointments sharing a %s', async (resource, second) => {
      const day = { practitioner: '2026-03-02', room: '2026-03-03', patient: '2026-03-04' }[
        resource
      ];
      await insertAppointment(db.dataSource, w, { startsAt: `${day}T09:00:00Z`, minutes: 30 });
      const err = await pgFailure(
        insertAppointment(db.dataSource, w, {
          ...second,
          startsAt: `${day}T09:15:00Z`,
          minutes: 45,
        }),
      );
      expect(err.code).toBe('23P01');
      expect(err.constraint).toBe(`appointments_no_${resource}_overlap`);
    });

    it('counts buffers, with half-open ranges', async () => {
      const at = (time: string) => `2026-03-09T${time}:00Z`;
      // 09:00–09:30 plus 10 minutes after: the practitioner is busy until 09:40.
      await insertAppointment(db.dataSource, w, { startsAt: at('09:00'), minutes: 30, after: 10 });
      const touchingBuffer = await pgFailure(
        insertAppointment(db.dataSource, w, { startsAt: at('09:35'), minutes: 30 }),
      );
      expect(touchingBuffer.constraint).toBe('appointments_no_practitioner_overlap');
      await insertAppointment(db.dataSource, w, { startsAt: at('09:40'), minutes: 20 });
      // A buffer before reaching back into the previous appointment conflicts too.
      const bufferBefore = await pgFailure(
        insertAppointment(db.dataSource, w, { startsAt: at('10:00'), minutes: 30, before: 5 }),
      );
      expect(bufferBefore.constraint).toBe('appointments_no_practitioner_overlap');
      // Back to back without buffers: 10:00–10:30 then 10:30–11:00.
      await insertAppointment(db.dataSource, w, { startsAt: at('10:00'), minutes: 30 });
      await insertAppointment(db.dataSource, w, { startsAt: at('10:30'), minutes: 30 });
      const [{ occupied }] = await q(
        `SELECT occupied::text FROM appointments WHERE practitioner_id = $1 AND starts_at = $2`,
        [w.practitionerIds[0], at('09:00')],
      );
      expect(occupied).toBe('["2026-03-09 09:00:00+00","2026-03-09 09:40:00+00")');
    });

    it("frees the time of a cancelled appointment, keeps a no-show's, and guards updates too", async () => {
      const at = '2026-03-10T14:00:00Z';
      const first = await insertAppointment(db.dataSource, w, { startsAt: at, minutes: 30 });
      await q(
        `UPDATE appointments SET status = 'cancelled', cancelled_reason = 'patient unwell', cancelled_by = $2 WHERE id = $1`,
        [first, w.userId],
      );
      const second = await insertAppointment(db.dataSource, w, { startsAt: at, minutes: 30 });
      const revived = await pgFailure(
        q(
          `UPDATE appointments SET status = 'booked', cancelled_reason = NULL, cancelled_by = NULL WHERE id = $1`,
          [first],
        ),
      );
      expect(revived.constraint).toBe('appointments_no_practitioner_overlap');
      await q(`UPDATE appointments SET status = 'no_show' WHERE id = $1`, [second]);
      const overNoShow = await pgFailure(
        insertAppointment(db.dataSource, w, { startsAt: at, minutes: 15 }),
      );
      expect(overNoShow.constraint).toBe('appointments_no_practitioner_overlap');
    });

    it('derives occupied from the row on every write, whatever a client sends', async () => {
      const id = await insertAppointment(db.dataSource, w, {
        startsAt: '2026-03-11T09:00:00Z',
        minutes: 30,
        practitioner: 2,
      });
      await q(
        `UPDATE appointments SET occupied = 'empty', starts_at = starts_at + interval '1 hour',
                 ends_at = ends_at + interval '1 hour', buffer_before_minutes = 5, version = version + 1 WHERE id = $1`,
        [id],
      );
      const [row] = await q(
        `SELECT occupied::text, version, updated_at > created_at AS touched FROM appointments WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({
        occupied: '["2026-03-11 09:55:00+00","2026-03-11 10:30:00+00")',
        version: 2,
        touched: true,
      });
    });
  });

  it('reverts (sessions, reminders, scheduling, then foundation) and applies again', async () => {
    const publicTables = async () =>
      (
        (await q(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
        )) as {
          table_name: string;
        }[]
      )
        .map((t) => t.table_name)
        .sort();
    // Migrations after the sessions one first (outbox, access changes, …).
    const sessions = db.dataSource.migrations.findIndex((m) => m.name === 'Sessions1764300000000');
    for (let n = db.dataSource.migrations.length; n > sessions + 1; n -= 1)
      await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    expect((await publicTables()).filter((t) => /device|session|telemetry|alert/.test(t))).toEqual(
      [],
    );
    await db.dataSource.undoLastMigration();
    const afterReminders = await publicTables();
    expect(afterReminders).toEqual(expect.arrayContaining(SCHEDULING_TABLES));
    expect(afterReminders).not.toEqual(expect.arrayContaining(['reminders']));
    expect(afterReminders.filter((t) => /reminder|message|inbound/.test(t))).toEqual([]);
    await db.dataSource.undoLastMigration();
    expect(await publicTables()).toEqual([
      'clinic_memberships',
      'clinics',
      'organisations',
      'users',
    ]);
    const [{ fn }] = await q(
      `SELECT count(*)::int AS fn FROM pg_proc WHERE proname = 'appointments_before_write'`,
    );
    expect(fn).toBe(0);
    await db.dataSource.undoLastMigration();
    expect(await publicTables()).toEqual([]);
    await db.dataSource.runMigrations();
    expect(await publicTables()).toEqual(expect.arrayContaining(SCHEDULING_TABLES));
  });
});
