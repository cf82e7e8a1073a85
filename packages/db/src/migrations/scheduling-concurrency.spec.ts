import { DataSource as TypeOrmDataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source';
import {
  createSchedulingWorld,
  insertAppointment,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const ATTEMPTS = 50;
const DURATIONS = [30, 45, 60, 35];

/**
 * Attempt i starts 0–25 minutes after 09:00 and lasts at least 30 minutes, so every attempt
 * covers 09:25–09:30: they all overlap pairwise, whatever the interleaving. (Shorter ones
 * could merely touch, and half-open ranges rightly let touching bookings both in.)
 */
const attempt = (i: number) => ({
  startsAt: `2026-06-01T09:${String((i % 6) * 5).padStart(2, '0')}:00Z`,
  minutes: DURATIONS[i % DURATIONS.length] ?? 30,
  before: i % 3 === 0 ? 5 : 0,
  after: i % 2 === 0 ? 10 : 0,
});

/** For the shared resource, every attempt uses the same row; for the others, a row of its own. */
const resources = (shared: 'practitioner' | 'room' | 'patient', i: number) => ({
  practitioner: shared === 'practitioner' ? 0 : i,
  room: shared === 'room' ? 0 : i,
  patient: shared === 'patient' ? 0 : i,
});

describe('double booking under concurrency (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: TypeOrmDataSource;
  let w: SchedulingWorld;

  beforeAll(async () => {
    db = await createTestDatabase('concurrency');
    // A pool of its own, 20 connections: the 50 inserts really run side by side.
    const options = dataSourceOptions({
      url: db.url,
      poolSize: 20,
      applicationName: 'test:concurrency',
    });
    // Waiting for a connection is part of the contention here, not a dead server: no 5 s fail-fast.
    pool = new TypeOrmDataSource({
      ...options,
      extra: { ...options.extra, connectionTimeoutMillis: 0 },
    });
    await pool.initialize();
    w = await createSchedulingWorld(db.dataSource, 'busy', {
      practitioners: ATTEMPTS,
      rooms: ATTEMPTS,
      patients: ATTEMPTS,
    });
  });
  afterAll(async () => {
    await pool.destroy();
    await db.drop();
  });

  it.each(['practitioner', 'room', 'patient'] as const)(
    '%d overlapping inserts for one %s: exactly one succeeds'.replace('%d', String(ATTEMPTS)),
    async (shared) => {
      await db.dataSource.query(`DELETE FROM appointments`);
      const outcomes = await Promise.allSettled(
        Array.from({ length: ATTEMPTS }, (_, i) =>
          insertAppointment(pool, w, { ...attempt(i), ...resources(shared, i) }),
        ),
      );
      // Never a deadlock (40P01): the trigger queues conflicting writers on advisory locks.
      const failures = outcomes.flatMap((o) =>
        o.status === 'rejected' ? [o.reason as { code: string; constraint: string }] : [],
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(new Set(failures.map((f) => `${f.code} ${f.constraint}`))).toEqual(
        new Set([`23P01 appointments_no_${shared}_overlap`]),
      );
      const [{ overlaps }] = await db.dataSource.query(
        `SELECT count(*)::int AS overlaps FROM appointments a JOIN appointments b
           ON a.id < b.id AND a.occupied && b.occupied
          AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id OR a.patient_id = b.patient_id)
         WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`,
      );
      expect(overlaps).toBe(0);
    },
  );

  it('never deadlocks when concurrent bookings share different resources, and never overlaps', async () => {
    await db.dataSource.query(`DELETE FROM appointments`);
    // Five of each resource, combined differently, so writers contend on crossing sets of locks.
    const outcomes = await Promise.allSettled(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        insertAppointment(pool, w, {
          ...attempt(i),
          practitioner: i % 5,
          room: (i * 2 + 1) % 5,
          patient: (i * 3 + 2) % 5,
        }),
      ),
    );
    const codes = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [(o.reason as { code: string }).code] : [],
    );
    expect(new Set(codes)).toEqual(new Set(['23P01']));
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const [{ overlaps }] = await db.dataSource.query(
      `SELECT count(*)::int AS overlaps FROM appointments a JOIN appointments b
         ON a.id < b.id AND a.occupied && b.occupied
        AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id OR a.patient_id = b.patient_id)`,
    );
    expect(overlaps).toBe(0);
  });
});
