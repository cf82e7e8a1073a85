import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedDemo } from '../seed/demo.seed';
import { DEMO_CLINICS, DEMO_USERS } from '../seed/demo-data';

describe('migrations and demo seed (real PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
  });
  afterAll(() => db.drop());

  it('apply from empty and leave nothing pending', async () => {
    const tables = await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(
      expect.arrayContaining(['clinic_memberships', 'clinics', 'organisations', 'users']),
    );
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('seeds the demo idempotently, keeping ids', async () => {
    const first = await seedDemo(db.dataSource);
    const second = await seedDemo(db.dataSource);
    expect(second).toEqual(first);
    const [{ clinics }] = await db.dataSource.query(`SELECT count(*)::int AS clinics FROM clinics`);
    const [{ users }] = await db.dataSource.query(`SELECT count(*)::int AS users FROM users`);
    expect(clinics).toBe(DEMO_CLINICS.length);
    expect(users).toBe(DEMO_USERS.length);
    const zones = await db.dataSource.query(`SELECT DISTINCT time_zone FROM clinics`);
    expect(zones.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a membership that crosses organisations', async () => {
    const { userIds } = await seedDemo(db.dataSource);
    const [other] = await db.dataSource.query(
      `INSERT INTO organisations (slug, name) VALUES ('other-org', 'Other') RETURNING id`,
    );
    const [foreignClinic] = await db.dataSource.query(
      `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'x', 'X', 'Europe/Paris') RETURNING id`,
      [other.id],
    );
    const userId = userIds['scheduler@tautline.test'];
    const [user] = await db.dataSource.query(`SELECT organisation_id FROM users WHERE id = $1`, [
      userId,
    ]);
    await expect(
      db.dataSource.query(
        `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
        [userId, foreignClinic.id, user.organisation_id],
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('stores emails lower-case only', async () => {
    const [org] = await db.dataSource.query(`SELECT id FROM organisations LIMIT 1`);
    await expect(
      db.dataSource.query(
        `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, 'Mixed@Case.test', 'M', 'admin', 'x')`,
        [org.id],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('reverts cleanly', async () => {
    for (let n = db.dataSource.migrations.length; n > 0; n -= 1)
      await db.dataSource.undoLastMigration();
    const tables = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables[0].n).toBe(0);
    await db.dataSource.runMigrations();
  });
});
