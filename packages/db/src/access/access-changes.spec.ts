import { seedDemo, type SeededDemo } from '../seed/demo.seed';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { AccessChangesListener } from './access-changes.listener';

// The access triggers and the listener on real PostgreSQL: every way access changes is heard, once
// committed; other writes and rolled-back ones are not.
describe('access changes (real PostgreSQL LISTEN/NOTIFY)', () => {
  let db: TestDatabase;
  let demo: SeededDemo;
  let listener: AccessChangesListener;
  const heard: string[] = [];
  let resyncs = 0;

  beforeAll(async () => {
    db = await createTestDatabase('access-changes');
    demo = await seedDemo(db.dataSource);
    listener = new AccessChangesListener(
      db.url,
      { changed: (id) => heard.push(id), resync: () => (resyncs += 1) },
      100,
    );
    await listener.start();
  });
  afterAll(async () => {
    await listener.stop();
    await db.drop();
  });
  beforeEach(() => void heard.splice(0));

  const until = async (check: () => boolean, ms = 3_000) => {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return check();
  };
  const settle = () => new Promise((r) => setTimeout(r, 200));
  const user = (email: string) => demo.userIds[email]!;

  it('hears a membership removed, added and moved, for that user only', async () => {
    const scheduler = user('scheduler@tautline.test');
    const london = demo.clinicIds['london-bridge']!;
    const newYork = demo.clinicIds['new-york-chelsea']!;
    await db.dataSource.query(
      `DELETE FROM clinic_memberships WHERE user_id = $1 AND clinic_id = $2`,
      [scheduler, london],
    );
    expect(await until(() => heard.length === 1)).toBe(true);
    await db.dataSource.query(
      `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) SELECT id, $2, organisation_id FROM users WHERE id = $1`,
      [scheduler, london],
    );
    await db.dataSource.query(
      `UPDATE clinic_memberships SET clinic_id = $3 WHERE user_id = $1 AND clinic_id = $2`,
      [scheduler, london, newYork],
    );
    await settle();
    expect(heard).toEqual([scheduler, scheduler, scheduler]);
  });

  it('hears a role change, a deactivation and a deleted user, not a renamed one', async () => {
    const practitioner = user('practitioner@tautline.test');
    const supervisor = user('supervisor@tautline.test');
    await db.dataSource.query(`UPDATE users SET name = 'Renamed' WHERE id = $1`, [supervisor]);
    await db.dataSource.query(`UPDATE users SET role = 'scheduler' WHERE id = $1`, [practitioner]);
    await db.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [supervisor]);
    await db.dataSource.query(`UPDATE users SET role = role, active = active WHERE id = $1`, [
      supervisor,
    ]);
    await settle();
    expect(heard).toEqual([practitioner, supervisor]);
    await db.dataSource.query(`DELETE FROM users WHERE id = $1`, [supervisor]);
    await settle();
    // The user row and, through the cascade, each of their memberships.
    expect(new Set(heard.slice(2))).toEqual(new Set([supervisor]));
    expect(heard.length).toBeGreaterThan(2);
  });

  it('hears nothing of a rolled-back change', async () => {
    const admin = user('admin@tautline.test');
    await expect(
      db.dataSource.transaction(async (m) => {
        await m.query(`UPDATE users SET role = 'scheduler' WHERE id = $1`, [admin]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await settle();
    expect(heard).toEqual([]);
  });

  it('reconnects after its connection is killed, and asks for a resync', async () => {
    const before = resyncs;
    await db.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tautline-access-listener' AND datname = current_database()`,
    );
    expect(await until(() => resyncs > before)).toBe(true);
    const scheduler = user('scheduler@tautline.test');
    await db.dataSource.query(`UPDATE users SET role = 'supervisor' WHERE id = $1`, [scheduler]);
    expect(await until(() => heard.includes(scheduler))).toBe(true);
  });
});
