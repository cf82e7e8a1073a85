import { type INestApplicationContext } from '@nestjs/common';
import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  insertAppointment,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import {
  createQueue,
  createRedisConnection,
  deleteKeysWithPrefix,
  queueReminders,
  type RecordingSmsServer,
  reminderJobId,
  startRecordingSmsServer,
  startTestSmtpServer,
  testRedisPrefix,
  type TestSmtpServer,
  type TypedQueue,
} from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { createWorkerContext } from '../worker.factory';
import { eventually, insertReminderRow, reminderRow } from './testing/reminder-rows';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOUR = 3_600_000;
const JOBS = { attempts: 4, backoffMs: 100 };

/** The reminder sender in a real worker context: real PostgreSQL, Redis, BullMQ, SMTP and SMS servers. */
describe('reminder processor', () => {
  const prefix = testRedisPrefix('worker-reminders');
  const redis = createRedisConnection(REDIS_URL);
  let db: TestDatabase;
  let world: SchedulingWorld;
  let sms: RecordingSmsServer;
  let smtp: TestSmtpServer;
  let worker: INestApplicationContext;
  let queue: TypedQueue<'reminders'>;
  let nextMinutes = 0;

  /** A booked appointment an hour or more ahead, each at its own time. */
  const appointment = async (patient = 0) =>
    insertAppointment(db.dataSource, world, {
      patient,
      room: nextMinutes % 2,
      practitioner: nextMinutes % 2,
      startsAt: new Date(Date.now() + HOUR + (nextMinutes += 60) * 60_000).toISOString(),
      minutes: 30,
    });
  const queued = (ids: string[]) =>
    queueReminders(
      queue,
      ids.map((id) => ({ id, dueAt: new Date() })),
      JOBS,
    );

  beforeAll(async () => {
    db = await createTestDatabase('worker-reminders');
    world = await createSchedulingWorld(db.dataSource, 'reminders', { patients: 3 });
    await db.dataSource.query(
      `UPDATE patients SET email = 'given' || right(phone, 1) || '@example.com' WHERE id = ANY($1)`,
      [world.patientIds],
    );
    await db.dataSource.query(`UPDATE clinics SET phone = '+442079460999' WHERE id = $1`, [
      world.clinicId,
    ]);
    sms = await startRecordingSmsServer();
    smtp = await startTestSmtpServer();
    const env = loadEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      SMS_TRANSPORT: 'http',
      SMS_API_URL: sms.url,
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      MESSAGE_PROVIDER_TIMEOUT_MS: '1000',
      REMINDER_LEASE_MS: '2000',
      REMINDER_RECONCILE_EVERY_MS: '300',
      REMINDER_OVERDUE_GRACE_MINUTES: '30',
    });
    worker = await createWorkerContext(env, { logStream: new PassThrough() });
    queue = createQueue('reminders', { connection: redis, prefix });
  });

  afterAll(async () => {
    await worker.close();
    await queue.close();
    await Promise.all([sms.stop(), smtp.stop()]);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  });

  it('sends an SMS once, with the row id as idempotency key and a signed link, and records it', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    await queued([id]);
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'sent'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    const mine = sms.delivered.filter((d) => d.idempotencyKey === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ to: '+447700900001', from: '+447700900000' });
    expect(mine[0]!.body).toMatch(
      /^Hi Given1, a reminder of your appointment at Main on .+ (GMT|BST)\..* http:\/\/localhost:5173\/p\/\S+ /,
    );
    expect(mine[0]!.body).toMatch(
      /Reply C to confirm, R to reschedule, STOP to opt out\. Questions\? Call \+442079460999\./,
    );
    expect(row).toMatchObject({
      destination: '+447700900001',
      provider_message_id: mine[0]!.sid,
      attempts: 1,
    });
  });

  it('writes in the locale of the policy in force: the clinic’s over the organisation’s', async () => {
    await db.dataSource.query(
      `INSERT INTO reminder_policies (organisation_id, clinic_id, policy) VALUES ($1, NULL, '{"locale":"en-GB"}'), ($1, $2, '{"locale":"en-US"}')`,
      [world.organisationId, world.clinicId],
    );
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    await queued([id]);
    await eventually(async () => (await reminderRow(db.dataSource, id))?.status === 'sent');
    expect(sms.delivered.find((d) => d.idempotencyKey === id)?.body).toMatch(
      /^Hi Given1, this is a reminder of your appointment at Main on \w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M /,
    );
    await db.dataSource.query(`DELETE FROM reminder_policies`);
  });

  it('sends an email over SMTP with a Message-ID from the row id', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(1),
      channel: 'email',
    });
    await queued([id]);
    await eventually(async () => (await reminderRow(db.dataSource, id))?.status === 'sent');
    const mail = smtp.messages.filter((m) => m.messageId === `<reminder-${id}@tautline>`);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toContain('given2@example.com');
    expect(mail[0]!.subject).toMatch(/^Your appointment at Main on /);
    expect(mail[0]!.text).toMatch(/Dear Given2,/);
  });

  it('sends once however many jobs and workers race for the same row', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    // The same row queued under several job ids, as duplicated producers would.
    await Promise.all(
      [0, 1, 2, 3, 4].map((n) =>
        queue.add(
          'reminder.send',
          { reminderId: id },
          { jobId: `dup-${id}-${n}`, attempts: 4, backoff: { type: 'fixed', delay: 100 } },
        ),
      ),
    );
    await eventually(async () => (await reminderRow(db.dataSource, id))?.status === 'sent');
    await new Promise((r) => setTimeout(r, 500));
    expect(sms.requests.filter((r) => r.headers['idempotency-key'] === id)).toHaveLength(1);
    expect((await reminderRow(db.dataSource, id))?.attempts).toBe(1);
  });

  it('re-reads the appointment and patient at send time: cancelled, moved and opted out are skipped', async () => {
    const cancelled = await appointment();
    const moved = await appointment(1);
    const optedOut = await appointment(2);
    const ids = [
      await insertReminderRow(db.dataSource, world, { appointmentId: cancelled }),
      await insertReminderRow(db.dataSource, world, { appointmentId: moved }),
      await insertReminderRow(db.dataSource, world, { appointmentId: optedOut }),
    ];
    await db.dataSource.query(
      `UPDATE appointments SET status = 'cancelled', cancelled_reason = 'x' WHERE id = $1`,
      [cancelled],
    );
    await db.dataSource.query(
      `UPDATE appointments SET starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day' WHERE id = $1`,
      [moved],
    );
    await db.dataSource.query(`UPDATE patients SET sms_opted_out_at = now() WHERE id = $1`, [
      world.patientIds[2],
    ]);
    const before = sms.requests.length;
    await queued(ids);
    const rows = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => reminderRow(db.dataSource, id)));
      return all.every((r) => r?.status === 'skipped') && all;
    });
    expect(rows.map((r) => r?.reason)).toEqual([
      'appointment_cancelled',
      'rescheduled',
      'opted_out',
    ]);
    expect(sms.requests.length).toBe(before);
    await db.dataSource.query(`UPDATE patients SET sms_opted_out_at = NULL WHERE id = $1`, [
      world.patientIds[2],
    ]);
  });

  it('still sends the opt-out confirmation to a patient who has just opted out', async () => {
    await db.dataSource.query(`UPDATE patients SET sms_opted_out_at = now() WHERE id = $1`, [
      world.patientIds[0],
    ]);
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
      purpose: 'opt_out_confirmation',
    });
    await queued([id]);
    await eventually(async () => (await reminderRow(db.dataSource, id))?.status === 'sent');
    expect(sms.delivered.find((d) => d.idempotencyKey === id)?.body).toMatch(
      /unsubscribed.*Reply START/,
    );
    await db.dataSource.query(`UPDATE patients SET sms_opted_out_at = NULL WHERE id = $1`, [
      world.patientIds[0],
    ]);
  });

  it('retries a provider outage with backoff and sends once', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    sms.failNext(2);
    await queued([id]);
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'sent'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    expect(row?.attempts).toBe(3);
    expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(1);
  });

  it('records a permanent refusal as failed and does not retry', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    sms.rejectNext(1);
    await queued([id]);
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'failed'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    expect(row).toMatchObject({ reason: 'provider_rejected', attempts: 1 });
    expect(row?.last_error).not.toMatch(/\+44|Given/);
    await new Promise((r) => setTimeout(r, 400));
    expect(sms.requests.filter((r) => r.headers['idempotency-key'] === id)).toHaveLength(1);
  });

  it('gives up after the last attempt and says so', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    sms.failNext(JOBS.attempts);
    await queued([id]);
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'failed'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    expect(row).toMatchObject({ reason: 'retries_exhausted', attempts: JOBS.attempts });
    expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(0);
  });

  it('the reconciler queues rows whose job is missing and marks long-overdue ones missed', async () => {
    const lost = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
      dueAt: new Date(Date.now() - 60_000),
    });
    const future = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(1),
      dueAt: new Date(Date.now() + HOUR),
    });
    const stale = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(2),
      dueAt: new Date(Date.now() - 31 * 60_000),
    });
    // No job was ever queued for any of them.
    await eventually(async () => (await reminderRow(db.dataSource, lost))?.status === 'sent');
    // The next pass may be a moment away from the last insert.
    await eventually(async () => (await queue.getJobState(reminderJobId(future))) === 'delayed');
    expect(await queue.getJob(reminderJobId(future))).toBeDefined();
    expect(await queue.getJobState(reminderJobId(future))).toBe('delayed');
    expect(await reminderRow(db.dataSource, stale)).toMatchObject({
      status: 'skipped',
      reason: 'missed',
    });
    expect(sms.delivered.filter((d) => d.idempotencyKey === lost)).toHaveLength(1);
  });

  /** A job for the row that BullMQ fails for good (here: a payload it refuses), as a stalled-out or exhausted job ends. */
  const deadJob = async (id: string) => {
    await queue.add('reminder.send', { reminderId: 'not-a-reminder' } as never, {
      jobId: reminderJobId(id),
      attempts: 1,
    });
    // Failed, or already replaced by the reconciler and sent.
    await eventually(
      async () =>
        (await queue.getJobState(reminderJobId(id))) === 'failed' ||
        (await reminderRow(db.dataSource, id))?.status === 'sent',
    );
  };

  it('the reconciler treats a job that failed for good as missing: the row is queued again and sent once', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    await deadJob(id);
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'sent'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(1);
  });

  it('the reconciler sweeps a row stuck in sending past its lease whose job is dead', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(1),
    });
    await db.dataSource.query(
      `UPDATE reminders SET status = 'sending', attempts = 1, lease_until = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    await deadJob(id);
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'sent'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(1);
  });

  it('the reconciler ends a row whose attempts are used up as failed: retries_exhausted, sending nothing', async () => {
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(2),
    });
    await db.dataSource.query(
      `UPDATE reminders SET attempts = 6, last_error = 'TransientDeliveryError: 503' WHERE id = $1`,
      [id],
    );
    const row = await eventually(async () =>
      (await reminderRow(db.dataSource, id))?.status === 'failed'
        ? reminderRow(db.dataSource, id)
        : false,
    );
    expect(row).toMatchObject({ reason: 'retries_exhausted', attempts: 6 });
    expect(sms.requests.filter((r) => r.headers['idempotency-key'] === id)).toHaveLength(0);
  });
});
