import {
  createSchedulingWorld,
  insertAppointment,
  pgFailure,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

/** The outbox migration (1764400000000): staff messages beside patient ones, each kind complete, reversible. */
describe('outbox schema', () => {
  let db: TestDatabase;
  let w: SchedulingWorld;
  let appointmentId: string;
  const q = (sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<{ id: string }[]>;
  const staffMessage = (set = `$3, 'lead@example.org', 'Subject', 'Body'`) =>
    q(
      `INSERT INTO reminders (organisation_id, clinic_id, purpose, channel, due_at, status, recipient_user_id, destination, subject, body)
       VALUES ($1, $2, 'alert_escalation', 'email', now(), 'scheduled', ${set}) RETURNING id`,
      [w.organisationId, w.clinicId, w.userId],
    );

  beforeAll(async () => {
    db = await createTestDatabase('outbox-schema');
    w = await createSchedulingWorld(db.dataSource, 'outbox');
    appointmentId = await insertAppointment(db.dataSource, w, {
      startsAt: '2030-01-07T10:00:00Z',
      minutes: 30,
    });
  });
  afterAll(() => db.drop());

  it('takes a staff message without appointment or patient, but only a complete one', async () => {
    await expect(staffMessage()).resolves.toHaveLength(1);
    expect((await pgFailure(staffMessage(`$3, NULL, 'Subject', 'Body'`))).constraint).toBe(
      'reminders_staff_message_complete',
    );
    expect(
      (await pgFailure(staffMessage(`$3, 'lead@example.org', 'Subject', NULL`))).constraint,
    ).toBe('reminders_staff_message_complete');
  });

  it('keeps patient messages strict: a reminder needs its appointment and patient', async () => {
    const insert = (appointment: string | null) =>
      q(
        `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, channel, appointment_starts_at, due_at, status)
         VALUES ($1, $2, $3, $4, 'reminder', 'sms', now() + interval '1 day', now(), 'scheduled') RETURNING id`,
        [w.organisationId, w.clinicId, appointment, w.patientIds[0]],
      );
    await expect(insert(appointmentId)).resolves.toHaveLength(1);
    expect((await pgFailure(insert(null))).constraint).toBe('reminders_patient_message_complete');
  });

  it('reverts and re-applies with rows in place', async () => {
    // Down to just before the outbox migration (later ones first).
    const outbox = db.dataSource.migrations.findIndex((m) => m.name === 'Outbox1764400000000');
    for (let n = db.dataSource.migrations.length; n > outbox; n -= 1)
      await db.dataSource.undoLastMigration();
    const [{ staff }] = (await db.dataSource.query(
      `SELECT count(*)::int AS staff FROM information_schema.tables WHERE table_name = 'staff_notifications'`,
    )) as [{ staff: number }];
    expect(staff).toBe(1);
    const [{ reminders }] = (await db.dataSource.query(
      `SELECT count(*)::int AS reminders FROM reminders`,
    )) as [{ reminders: number }];
    expect(reminders).toBe(1);
    await db.dataSource.runMigrations();
    await expect(staffMessage()).resolves.toHaveLength(1);
  });
});
