import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  insertAppointment,
  lockAppointmentSends,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import { type RecordingSmsServer, startRecordingSmsServer } from '@tautline/queues';
import { PinoLogger } from 'nestjs-pino';
import { LogChannel } from './channels/log.channel';
import { HttpSmsChannel } from './channels/sms.channel';
import { ReminderSender, RetryLater } from './reminder.sender';
import { insertReminderRow, reminderRow } from './testing/reminder-rows';

const HOUR = 3_600_000;

/**
 * The sender on its own, against real PostgreSQL and a recording SMS provider that does NOT
 * de-duplicate: what it does with an attempt that may have reached the provider, and how it
 * waits for a change of the appointment that is being committed.
 */
describe('ReminderSender', () => {
  let db: TestDatabase;
  let world: SchedulingWorld;
  let sms: RecordingSmsServer;
  let minutes = 0;
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  const env = (url: string) =>
    loadEnv({
      NODE_ENV: 'test',
      SMS_TRANSPORT: 'http',
      SMS_API_URL: url,
      MESSAGE_PROVIDER_TIMEOUT_MS: '300',
      REMINDER_LEASE_MS: '2000',
    });
  const appointment = () =>
    insertAppointment(db.dataSource, world, {
      startsAt: new Date(Date.now() + HOUR + (minutes += 60) * 60_000).toISOString(),
      minutes: 30,
    });

  beforeAll(async () => {
    db = await createTestDatabase('worker-sender');
    world = await createSchedulingWorld(db.dataSource, 'sender');
    // Holds the first answer past the client's timeout: the message is delivered, the client never hears.
    sms = await startRecordingSmsServer({ holdFirstRequestMs: 1_000, ignoreIdempotencyKey: true });
  });
  afterAll(async () => {
    await sms.stop();
    await db.drop();
  });

  it('after a timeout the retry asks the provider first, and records the message it already has', async () => {
    const e = env(sms.url);
    const channel = new HttpSmsChannel(e);
    const sender = new ReminderSender(e, db.dataSource, { sms: channel, email: channel }, logger);
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });

    await expect(sender.send({ reminderId: id, lastAttempt: false })).rejects.toBeInstanceOf(
      RetryLater,
    );
    expect(await reminderRow(db.dataSource, id)).toMatchObject({
      status: 'scheduled',
      attempts: 1,
    });
    const [delivered] = await sms.waitForDelivered(1);

    await expect(sender.send({ reminderId: id, lastAttempt: false })).resolves.toEqual({
      outcome: 'sent',
      providerMessageId: delivered!.sid,
    });
    expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(1);
    expect(sms.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await reminderRow(db.dataSource, id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      provider_message_id: delivered!.sid,
    });
  });

  it('the log channel finds what it stored, so a crashed send is recorded without storing twice', async () => {
    const e = loadEnv({ NODE_ENV: 'test' });
    const log = new LogChannel('sms', db.dataSource);
    const sender = new ReminderSender(e, db.dataSource, { sms: log, email: log }, logger);
    const id = await insertReminderRow(db.dataSource, world, {
      appointmentId: await appointment(),
    });
    const [target] = (await db.dataSource.query(
      `SELECT organisation_id, clinic_id FROM reminders WHERE id = $1`,
      [id],
    )) as { organisation_id: string; clinic_id: string }[];
    // What a worker killed after the provider call leaves: the message stored, the row `sending`, its lease run out.
    await log.send({
      reminderId: id,
      organisationId: target!.organisation_id,
      clinicId: target!.clinic_id,
      channel: 'sms',
      to: '+447700900001',
      text: 'first',
    });
    await db.dataSource.query(
      `UPDATE reminders SET status = 'sending', attempts = 1, send_started_at = now(), lease_until = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    await expect(sender.send({ reminderId: id, lastAttempt: false })).resolves.toEqual({
      outcome: 'sent',
      providerMessageId: `log-${id}`,
    });
    expect(
      await db.dataSource.query(`SELECT body FROM message_log WHERE reminder_id = $1`, [id]),
    ).toEqual([{ body: 'first' }]);
  });

  it('waits for a change of the appointment being committed, then sees it and sends nothing', async () => {
    const e = env(sms.url);
    const channel = new HttpSmsChannel(e);
    const sender = new ReminderSender(e, db.dataSource, { sms: channel, email: channel }, logger);
    const appointmentId = await appointment();
    const id = await insertReminderRow(db.dataSource, world, { appointmentId });
    const before = sms.requests.length;

    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    // As the API's cancel does: the send lock first, then the change.
    await lockAppointmentSends(runner.manager, appointmentId, 5_000);
    await runner.query(
      `UPDATE appointments SET status = 'cancelled', cancelled_reason = 'x' WHERE id = $1`,
      [appointmentId],
    );
    const sending = sender.send({ reminderId: id, lastAttempt: false });
    await new Promise((r) => setTimeout(r, 300));
    // Held: not even claimed while the change is open.
    expect(await reminderRow(db.dataSource, id)).toMatchObject({
      status: 'scheduled',
      attempts: 0,
    });
    await runner.commitTransaction();
    await runner.release();

    await expect(sending).resolves.toEqual({ outcome: 'skipped', reason: 'appointment_cancelled' });
    expect(sms.requests.length).toBe(before);
  });
});
