import { loadEnv } from '@tautline/config';
import { createTestDatabase, seedDemo, type SeededDemo, type TestDatabase } from '@tautline/db';
import { createMessageChannels } from './channels.factory';
import { LogChannel } from './log.channel';
import { type OutboundMessage } from './message-channel';

/** The local default channel against real PostgreSQL: the rendered message lands in `message_log`. */
describe('LogChannel (real PostgreSQL)', () => {
  let db: TestDatabase;
  let demo: SeededDemo;
  let clinicId: string;

  beforeAll(async () => {
    db = await createTestDatabase('worker-log-channel');
    demo = await seedDemo(db.dataSource);
    clinicId = demo.clinicIds['london-bridge']!;
  });

  afterAll(() => db.drop());

  /** message_log rows belong to a reminder, which belongs to an appointment. */
  async function plannedReminder(channel: 'sms' | 'email', hour: number): Promise<string> {
    const pick = (ids: Record<string, string>, prefix = '') =>
      Object.entries(ids).find(([k]) => k.startsWith(prefix))![1];
    const startsAt = `2031-03-0${(hour % 9) + 1}T${String(hour).padStart(2, '0')}:00:00Z`;
    const [appointment] = await db.dataSource.query(
      `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
         starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz + interval '30 minutes', 0, 0, $8) RETURNING id`,
      [
        demo.organisationId,
        clinicId,
        pick(demo.patientIds),
        pick(demo.practitionerIds),
        pick(demo.roomIds, 'london-bridge/'),
        pick(demo.appointmentTypeIds),
        startsAt,
        demo.userIds['scheduler@tautline.test'],
      ],
    );
    const [row] = await db.dataSource.query(
      `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, channel,
         appointment_starts_at, due_at, status)
       VALUES ($1, $2, $3, $4, 'reminder', $5, $6::timestamptz, $6::timestamptz - interval '1 day', 'sending') RETURNING id`,
      [demo.organisationId, clinicId, appointment.id, pick(demo.patientIds), channel, startsAt],
    );
    return row.id;
  }

  const logged = (reminderId: string) =>
    db.dataSource.query(
      `SELECT organisation_id, clinic_id, channel, destination, subject, body FROM message_log WHERE reminder_id = $1`,
      [reminderId],
    );

  it('stores an SMS once, however often it is sent', async () => {
    const channel = new LogChannel('sms', db.dataSource);
    const message: OutboundMessage = {
      reminderId: await plannedReminder('sms', 9),
      organisationId: demo.organisationId,
      clinicId,
      channel: 'sms',
      to: '+447700900123',
      text: 'Dry needling at London Bridge tomorrow 09:00. Reply C to confirm.',
    };
    const first = await channel.send(message);
    const second = await channel.send({ ...message, text: 'a retry renders the same reminder' });
    expect(first).toEqual({ providerMessageId: `log-${message.reminderId}` });
    expect(second).toEqual(first);
    expect(await logged(message.reminderId)).toEqual([
      {
        organisation_id: demo.organisationId,
        clinic_id: clinicId,
        channel: 'sms',
        destination: '+447700900123',
        subject: null,
        body: 'Dry needling at London Bridge tomorrow 09:00. Reply C to confirm.',
      },
    ]);
  });

  it('stores an email with its subject', async () => {
    const channel = new LogChannel('email', db.dataSource);
    const reminderId = await plannedReminder('email', 14);
    await channel.send({
      reminderId,
      organisationId: demo.organisationId,
      clinicId,
      channel: 'email',
      to: 'maya.okafor@example.org',
      subject: 'Your appointment on Thursday',
      text: 'See you at 14:00.',
    });
    expect(await logged(reminderId)).toEqual([
      expect.objectContaining({
        channel: 'email',
        destination: 'maya.okafor@example.org',
        subject: 'Your appointment on Thursday',
      }),
    ]);
  });

  it('is what the factory picks by default; smtp and http are chosen by the transports', async () => {
    const local = createMessageChannels(loadEnv({ NODE_ENV: 'test' }), db.dataSource);
    expect([local.sms.transport, local.email.transport]).toEqual(['log', 'log']);
    expect([local.sms.channel, local.email.channel]).toEqual(['sms', 'email']);
    await local.close();

    const real = createMessageChannels(
      loadEnv({ NODE_ENV: 'test', SMS_TRANSPORT: 'http', EMAIL_TRANSPORT: 'smtp' }),
      db.dataSource,
    );
    expect([real.sms.transport, real.email.transport]).toEqual(['http', 'smtp']);
    expect([real.sms.channel, real.email.channel]).toEqual(['sms', 'email']);
    await real.close();
  });
});
