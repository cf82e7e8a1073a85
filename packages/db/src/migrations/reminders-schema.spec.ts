import {
  createSchedulingWorld,
  insertAppointment,
  pgFailure,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

/** The reminders migration's guarantees, checked at the SQL level (real PostgreSQL). */
describe('reminders schema', () => {
  let db: TestDatabase;
  let a: SchedulingWorld;
  let b: SchedulingWorld;
  let appointmentA: string;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const insertReminder = (
    w: SchedulingWorld,
    appointmentId: string,
    extra = `'scheduled', now()`,
  ) =>
    q(
      `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, channel, appointment_starts_at, status, due_at)
       VALUES ($1, $2, $3, $4, 'reminder', 'sms', now() + interval '1 day', ${extra}) RETURNING id`,
      [w.organisationId, w.clinicId, appointmentId, w.patientIds[0]],
    );

  beforeAll(async () => {
    db = await createTestDatabase('reminders-schema');
    a = await createSchedulingWorld(db.dataSource, 'org-a');
    b = await createSchedulingWorld(db.dataSource, 'org-b');
    appointmentA = await insertAppointment(db.dataSource, a, {
      startsAt: '2030-01-07T10:00:00Z',
      minutes: 30,
    });
  });
  afterAll(() => db.drop());

  it('keeps a reminder inside its appointment’s organisation', async () => {
    await expect(insertReminder(a, appointmentA)).resolves.toHaveLength(1);
    expect((await pgFailure(insertReminder(b, appointmentA))).code).toBe('23503');
  });

  it('refuses a pending reminder without a due time, a sent one without sent_at, a skip without a reason', async () => {
    expect((await pgFailure(insertReminder(a, appointmentA, `'scheduled', NULL`))).constraint).toBe(
      'reminders_pending_has_due',
    );
    expect((await pgFailure(insertReminder(a, appointmentA, `'sent', now()`))).constraint).toBe(
      'reminders_sent_complete',
    );
    expect((await pgFailure(insertReminder(a, appointmentA, `'skipped', NULL`))).constraint).toBe(
      'reminders_reason_given',
    );
  });

  it('allows one default policy per organisation and one per clinic', async () => {
    await q(
      `INSERT INTO reminder_policies (organisation_id, clinic_id, policy) VALUES ($1, NULL, '{}')`,
      [a.organisationId],
    );
    await q(
      `INSERT INTO reminder_policies (organisation_id, clinic_id, policy) VALUES ($1, $2, '{}')`,
      [a.organisationId, a.clinicId],
    );
    expect(
      (
        await pgFailure(
          q(
            `INSERT INTO reminder_policies (organisation_id, clinic_id, policy) VALUES ($1, NULL, '{}')`,
            [a.organisationId],
          ),
        )
      ).constraint,
    ).toBe('reminder_policies_scope');
    // A clinic of another organisation cannot carry this organisation's policy.
    expect(
      (
        await pgFailure(
          q(
            `INSERT INTO reminder_policies (organisation_id, clinic_id, policy) VALUES ($1, $2, '{}')`,
            [a.organisationId, b.clinicId],
          ),
        )
      ).code,
    ).toBe('23503');
  });

  it('stores an inbound message once per provider message id', async () => {
    const insert = () =>
      q(
        `INSERT INTO inbound_messages (provider_message_id, organisation_id, clinic_id, patient_id, appointment_id, from_phone, body, keyword, outcome)
         VALUES ('SM1', $1, $2, $3, $4, '+447700900001', 'STOP', 'opt_out', 'opted_out')`,
        [a.organisationId, a.clinicId, a.patientIds[0], appointmentA],
      );
    await insert();
    expect((await pgFailure(insert())).code).toBe('23505');
  });
});
