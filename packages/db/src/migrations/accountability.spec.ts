import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedDemo } from '../seed/demo.seed';

const NAME = 'Accountability1764430000000';

/** Who overrode screening: the user who booked with the override, not the practitioner booked. */
describe('migration 1764430000000-accountability (real PostgreSQL)', () => {
  let db: TestDatabase;
  const applied = async () =>
    ((await db.dataSource.query(`SELECT name FROM migrations`)) as { name: string }[]).some(
      (m) => m.name === NAME,
    );
  /** Undoes migrations (later ones first) until this one is undone. */
  const undoThrough = async () => {
    while (await applied()) await db.dataSource.undoLastMigration();
  };

  beforeAll(async () => {
    db = await createTestDatabase('accountability');
  });
  afterAll(() => db.drop());

  it('moves existing overrides to the booking user, references users, and reverts', async () => {
    await undoThrough();
    const demo = await seedDemo(db.dataSource);
    const q = db.dataSource.query.bind(db.dataSource);
    const supervisor = demo.userIds['supervisor@tautline.test']!;
    const london = demo.clinicIds['london-bridge']!;
    const [rhys] = await q(`SELECT id FROM practitioners WHERE name = 'Rhys Calloway'`);
    const [room] = await q(`SELECT id FROM rooms WHERE clinic_id = $1 LIMIT 1`, [london]);
    const [patient] = await q(`SELECT id FROM patients WHERE clinic_id = $1 LIMIT 1`, [london]);
    const [type] = await q(`SELECT id FROM appointment_types LIMIT 1`);
    // As the old code wrote it: the booked practitioner in overridden_by.
    const [row] = await q(
      `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
         starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, screening_override_reason, overridden_by, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, now() + interval '2 days', now() + interval '2 days 30 minutes', 0, 0,
               'INR stable', $4, $7) RETURNING id`,
      [demo.organisationId, london, patient.id, rhys.id, room.id, type.id, supervisor],
    );
    const overriddenBy = async () =>
      (await q(`SELECT overridden_by FROM appointments WHERE id = $1`, [row.id]))[0]
        .overridden_by as string;

    await db.dataSource.runMigrations();
    expect(await applied()).toBe(true);
    expect(await overriddenBy()).toBe(supervisor);
    // Now a user reference: a practitioner id no longer fits, a user of the organisation does.
    await expect(
      q(`UPDATE appointments SET overridden_by = $2 WHERE id = $1`, [row.id, rhys.id]),
    ).rejects.toThrow(/appointments_overridden_by_user_fkey/);
    await q(`UPDATE appointments SET overridden_by = $2 WHERE id = $1`, [
      row.id,
      demo.userIds['practitioner@tautline.test'],
    ]);

    await undoThrough();
    expect(await overriddenBy()).toBe(rhys.id);
    await db.dataSource.runMigrations();
    expect(await overriddenBy()).toBe(supervisor);
  });
});
