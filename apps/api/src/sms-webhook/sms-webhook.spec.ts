import {
  type AppointmentChangedEvent,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type ServerToClientEvents,
} from '@tautline/domain';
import {
  createQueue,
  createRedisConnection,
  reminderJobId,
  type TypedQueue,
} from '@tautline/queues';
import { type Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp, type TestResponse } from '../testing/test-app';
import { signSmsWebhook } from './sms-signature';

interface Row {
  id: string;
  [column: string]: unknown;
}

describe('inbound SMS replies (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;
  let redis: Redis;
  let queue: TypedQueue<'reminders'>;
  /** Every number and distinctive text the tests sent: none may reach the logs. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('sms-webhook');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
    redis = createRedisConnection(t.env.REDIS_URL);
    queue = createQueue('reminders', { connection: redis, prefix: t.env.REDIS_PREFIX });
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await t.close();
  });

  const sql = <T = Row>(query: string, params: unknown[] = []) =>
    t.db.dataSource.query(query, params) as Promise<T[]>;
  const count = async (query: string, params: unknown[] = []) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${query}`, params))[0]!.n;

  /** POSTs bytes to the webhook, signed (by default) with the app's secret at `at`. */
  const deliver = (
    body: string,
    {
      at = new Date(),
      secret = t.env.SMS_WEBHOOK_SECRET,
      signature,
    }: { at?: Date; secret?: string; signature?: string | null } = {},
  ): Promise<TestResponse> =>
    t.request('/api/v1/webhooks/sms', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === null
          ? {}
          : { 'x-tautline-signature': signature ?? signSmsWebhook(secret, body, at) }),
      },
      body,
    });

  let messageSeq = 0;
  const nextMessageId = () => `SM${Date.now().toString(36)}${++messageSeq}`;
  const reply = async (from: string, text: string, messageId = nextMessageId()) => {
    const res = await deliver(JSON.stringify({ messageId, from, to: t.env.SMS_FROM, text }));
    return { status: res.status, body: await res.json(), messageId };
  };

  // Each scenario books its own slot (Rhys, London Bridge, two weeks ahead), so none clash.
  const slots = [1, 2, 3, 4, 5].flatMap((day) =>
    ['09:00', '10:00', '11:00', '14:00', '15:00', '16:00'].map((time) => [day, time] as const),
  );
  let slotSeq = 0;
  const nextStart = () => {
    const [day, time] = slots[slotSeq++]!;
    return upcoming(day, time, 'Europe/London', 2);
  };

  let phoneSeq = 200;
  const nextPhone = () => {
    const phone = `+447700900${++phoneSeq}`;
    secrets.push(phone);
    return phone;
  };

  const book = async (patientId: string) => {
    const res = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start: nextStart(),
      },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; start: string; status: string; version: number };
  };

  /** Gives a patient the phone, books them, and records an SMS reminder as sent to that phone. */
  const texted = async (patientId: string, phone = nextPhone()) => {
    await sql(`UPDATE patients SET phone = $2, sms_opted_out_at = NULL WHERE id = $1`, [
      patientId,
      phone,
    ]);
    const appointment = await book(patientId);
    await sql(
      `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, "offset", channel,
         appointment_starts_at, nominal_at, due_at, status, destination, sent_at)
       SELECT organisation_id, clinic_id, id, patient_id, 'reminder', 'P1D', 'sms', starts_at, now(), now(), 'sent', $2, now()
         FROM appointments WHERE id = $1`,
      [appointment.id, phone],
    );
    return { appointment, phone };
  };

  const eventually = async (check: () => Promise<boolean>, ms = 3_000) => {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const jobExists = async (reminderId: string) =>
    (await queue.getJob(reminderJobId(reminderId))) !== undefined;
  const smsReminders = (appointmentId: string, status: string) =>
    sql(
      `SELECT id, reason FROM reminders WHERE appointment_id = $1 AND purpose = 'reminder' AND channel = 'sms' AND status = $2`,
      [appointmentId, status],
    );
  const answers = (appointmentId: string, purpose: string) =>
    sql(
      `SELECT id, status, channel, due_at, appointment_starts_at FROM reminders WHERE appointment_id = $1 AND purpose = $2`,
      [appointmentId, purpose],
    );
  const optedOutAt = async (patientId: string) =>
    (
      await sql<{ at: Date | null }>(`SELECT sms_opted_out_at AS at FROM patients WHERE id = $1`, [
        patientId,
      ])
    )[0]!.at;
  const appointmentOf = async (id: string) =>
    (await t.request(`/api/v1/appointments/${id}`, { token: scheduler })).json();

  describe('authenticity and input', () => {
    it('answers 401 to a missing, wrong, tampered, stale or future signature, and stores nothing', async () => {
      const { appointment, phone } = await texted(f.olivia);
      const body = JSON.stringify({
        messageId: nextMessageId(),
        from: phone,
        to: t.env.SMS_FROM,
        text: 'C',
      });
      const fiveMinutes = 300_000;
      const responses = [
        await deliver(body, { signature: null }),
        await deliver(body, { signature: 'nonsense' }),
        await deliver(body, { secret: 'some-other-secret-of-thirty-two-chars!' }),
        await deliver(body, {
          signature: signSmsWebhook(
            t.env.SMS_WEBHOOK_SECRET,
            body.replace('"C"', '"STOP"'),
            new Date(),
          ),
        }),
        await deliver(body, { at: new Date(Date.now() - fiveMinutes - 2_000) }),
        await deliver(body, { at: new Date(Date.now() + fiveMinutes + 2_000) }),
      ];
      expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
      for (const r of responses)
        expect(r.headers.get('content-type')).toContain('application/problem+json');
      const problems = await Promise.all(responses.map((r) => r.json()));
      expect(problems[0]).toMatchObject({
        status: 401,
        detail: expect.stringContaining('missing'),
      });
      expect(problems[4].detail).toContain('300 s');
      expect(await count(`inbound_messages`)).toBe(0);
      expect((await appointmentOf(appointment.id)).status).toBe('booked');
    });

    it('checks the signature before the body: an unsigned bad body is 401, a signed one 400 naming the field', async () => {
      const bad = JSON.stringify({
        messageId: 'x',
        from: '07700 900101',
        to: t.env.SMS_FROM,
        text: 'C',
      });
      expect(
        (await deliver(bad, { secret: 'some-other-secret-of-thirty-two-chars!' })).status,
      ).toBe(401);

      const signed = await deliver(bad);
      expect(signed.status).toBe(400);
      expect((await signed.json()).errors).toEqual([
        { field: 'body.from', message: expect.any(String) },
      ]);

      const cases: [string, string][] = [
        [
          JSON.stringify({ from: '+447700900101', to: t.env.SMS_FROM, text: 'C' }),
          'body.messageId',
        ],
        [
          JSON.stringify({
            messageId: 'm1',
            from: '+447700900101',
            to: t.env.SMS_FROM,
            text: 'x'.repeat(1601),
          }),
          'body.text',
        ],
        [
          JSON.stringify({
            messageId: 'm1',
            from: '+447700900101',
            to: t.env.SMS_FROM,
            text: 'C',
            receivedAt: 'today',
          }),
          'body.receivedAt',
        ],
        ['{"messageId": "m1", "from": ', 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await deliver(body);
        expect(res.status).toBe(400);
        expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect(await count(`inbound_messages`)).toBe(0);
    });

    it('answers 404 to a number we never texted, storing nothing', async () => {
      const res = await reply('+447700900999', 'C');
      expect(res.status).toBe(404);
      expect(res.body.detail).toContain('unknown number');
      expect(await count(`inbound_messages`)).toBe(0);
    });
  });

  describe('keywords', () => {
    it('C confirms the appointment as the patient; again it is already confirmed; a cancelled one is not confirmable', async () => {
      const { appointment, phone } = await texted(f.olivia);
      const first = await reply(phone, ' c. ');
      expect(first).toMatchObject({
        status: 200,
        body: { outcome: 'confirmed', keyword: 'confirm' },
      });
      expect(await appointmentOf(appointment.id)).toMatchObject({
        status: 'confirmed',
        version: appointment.version + 1,
      });
      const audit = await sql<{ actor_user_id: string | null; details: Record<string, unknown> }>(
        `SELECT actor_user_id, details FROM audit_events WHERE action = 'appointment.confirm' AND subject_id = $1`,
        [appointment.id],
      );
      expect(audit).toEqual([{ actor_user_id: null, details: { actor: 'patient' } }]);

      expect((await reply(phone, 'YES')).body).toEqual({
        outcome: 'already_confirmed',
        keyword: 'confirm',
      });

      const other = await texted(f.kwame);
      const cancel = await t.request(`/api/v1/appointments/${other.appointment.id}/cancel`, {
        method: 'POST',
        token: scheduler,
        json: { reason: 'clinic closed' },
      });
      expect(cancel.status).toBe(200);
      expect((await reply(other.phone, 'C')).body).toEqual({
        outcome: 'not_confirmable',
        keyword: 'confirm',
      });
      expect((await appointmentOf(other.appointment.id)).status).toBe('cancelled');
    });

    it('R flags the appointment for rescheduling, audits it and tells the clinic live', async () => {
      const { appointment, phone } = await texted(f.kwame);
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
        `${t.url}${LIVE_NAMESPACE}`,
        {
          auth: { token: await t.login('admin@tautline.test') },
          transports: ['websocket'],
        },
      );
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      await socket.emitWithAck('clinics.subscribe', { clinicIds: [f.londonBridge] });
      const event = new Promise<AppointmentChangedEvent>((resolve) =>
        socket.on('appointment.changed', (e) => {
          if (e.change === 'reschedule_requested') resolve(e);
        }),
      );
      try {
        expect((await reply(phone, 'R')).body).toEqual({
          outcome: 'reschedule_requested',
          keyword: 'reschedule',
        });
        const live = await event;
        expect(live.appointment).toMatchObject({
          id: appointment.id,
          rescheduleRequestedAt: expect.any(String),
        });
      } finally {
        socket.disconnect();
      }
      const read = await appointmentOf(appointment.id);
      expect(read.rescheduleRequestedAt).not.toBeNull();
      expect(read.status).toBe('booked');
      expect(
        await count(
          `audit_events WHERE action = 'appointment.reschedule_requested' AND subject_id = $1`,
          [appointment.id],
        ),
      ).toBe(1);
    });

    it.each(['stop', 'Opt Out', 'UNSUBSCRIBE'])(
      '%j opts the number out, withdraws the scheduled SMS reminders and their jobs, and queues one confirmation',
      async (word) => {
        const { appointment, phone } = await texted(f.olivia);
        const scheduled = await smsReminders(appointment.id, 'scheduled');
        expect(scheduled.length).toBeGreaterThan(0);
        // Booking queues the jobs just after it answers.
        await eventually(async () =>
          (await Promise.all(scheduled.map((r) => jobExists(r.id)))).every(Boolean),
        );

        const res = await reply(phone, word);
        expect(res).toMatchObject({
          status: 200,
          body: { outcome: 'opted_out', keyword: 'opt_out' },
        });
        expect(await optedOutAt(f.olivia)).not.toBeNull();
        const cancelled = await smsReminders(appointment.id, 'cancelled');
        expect(cancelled.map((r) => r.id).sort()).toEqual(scheduled.map((r) => r.id).sort());
        expect(cancelled.every((r) => r.reason === 'opted_out')).toBe(true);
        expect(
          await count(
            `reminders WHERE patient_id = $1 AND purpose = 'reminder' AND channel = 'sms' AND status = 'scheduled'`,
            [f.olivia],
          ),
        ).toBe(0);
        for (const r of scheduled) expect(await jobExists(r.id)).toBe(false);

        const confirmations = await answers(appointment.id, 'opt_out_confirmation');
        expect(confirmations).toHaveLength(1);
        expect(confirmations[0]).toMatchObject({ status: 'scheduled', channel: 'sms' });
        expect((confirmations[0]!.appointment_starts_at as Date).toISOString()).toBe(
          appointment.start,
        );
        expect(await jobExists(confirmations[0]!.id)).toBe(true);
        expect(
          await count(`audit_events WHERE action = 'patient.sms_opted_out' AND subject_id = $1`, [
            f.olivia,
          ]),
        ).toBeGreaterThan(0);
      },
    );

    it('opts out every patient sharing the number, once: a second STOP sends nothing more', async () => {
      const phone = nextPhone();
      const olivia = await texted(f.olivia, phone);
      await sql(`UPDATE patients SET phone = $2, sms_opted_out_at = NULL WHERE id = $1`, [
        f.kwame,
        phone,
      ]);
      const kwame = await book(f.kwame);
      const kwameScheduled = await smsReminders(kwame.id, 'scheduled');
      expect(kwameScheduled.length).toBeGreaterThan(0);
      await eventually(async () =>
        (await Promise.all(kwameScheduled.map((r) => jobExists(r.id)))).every(Boolean),
      );

      expect((await reply(phone, 'STOP')).body).toEqual({
        outcome: 'opted_out',
        keyword: 'opt_out',
      });
      expect(await optedOutAt(f.olivia)).not.toBeNull();
      expect(await optedOutAt(f.kwame)).not.toBeNull();
      expect(await smsReminders(kwame.id, 'scheduled')).toEqual([]);
      for (const r of kwameScheduled) expect(await jobExists(r.id)).toBe(false);

      const before = await count(`reminders WHERE purpose = 'opt_out_confirmation'`);
      expect((await reply(phone, 'stop')).body).toEqual({
        outcome: 'already_opted_out',
        keyword: 'opt_out',
      });
      expect((await reply(phone, 'Quit')).body).toEqual({
        outcome: 'already_opted_out',
        keyword: 'opt_out',
      });
      expect(await count(`reminders WHERE purpose = 'opt_out_confirmation'`)).toBe(before);
      expect(await answers(olivia.appointment.id, 'opt_out_confirmation')).toHaveLength(1);
      expect(await answers(kwame.id, 'opt_out_confirmation')).toHaveLength(0);
      await sql(`UPDATE patients SET sms_opted_out_at = NULL WHERE id = ANY($1::uuid[])`, [
        [f.olivia, f.kwame],
      ]);
    });

    it('START opts the number back in, confirms once and re-plans the SMS reminders', async () => {
      const { appointment, phone } = await texted(f.kwame);
      expect((await reply(phone, 'STOP')).body.outcome).toBe('opted_out');
      expect(await smsReminders(appointment.id, 'scheduled')).toEqual([]);

      expect((await reply(phone, 'Start')).body).toEqual({
        outcome: 'opted_in',
        keyword: 'opt_in',
      });
      expect(await optedOutAt(f.kwame)).toBeNull();
      const replanned = await smsReminders(appointment.id, 'scheduled');
      expect(replanned.length).toBeGreaterThan(0);
      for (const r of replanned) expect(await jobExists(r.id)).toBe(true);
      const confirmations = await answers(appointment.id, 'opt_in_confirmation');
      expect(confirmations).toHaveLength(1);
      expect(await jobExists(confirmations[0]!.id)).toBe(true);
      expect(
        await count(`audit_events WHERE action = 'patient.sms_opted_in' AND subject_id = $1`, [
          f.kwame,
        ]),
      ).toBe(1);

      expect((await reply(phone, 'START')).body).toEqual({
        outcome: 'already_opted_in',
        keyword: 'opt_in',
      });
      expect(await answers(appointment.id, 'opt_in_confirmation')).toHaveLength(1);
    });

    it('HELP queues one help answer now', async () => {
      const { appointment, phone } = await texted(f.olivia);
      expect((await reply(phone, 'help')).body).toEqual({
        outcome: 'help_queued',
        keyword: 'help',
      });
      const help = await answers(appointment.id, 'help');
      expect(help).toHaveLength(1);
      expect(help[0]).toMatchObject({ status: 'scheduled', channel: 'sms' });
      expect((help[0]!.due_at as Date).getTime()).toBeLessThanOrEqual(Date.now());
      expect(await jobExists(help[0]!.id)).toBe(true);
    });

    it('stores anything else as unrecognised and changes nothing', async () => {
      const { appointment, phone } = await texted(f.olivia);
      const text = 'Running late, blue door? Thx';
      secrets.push(text);
      const remindersBefore = await count(`reminders WHERE appointment_id = $1`, [appointment.id]);
      const receivedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString();
      const res = await deliver(
        JSON.stringify({
          messageId: 'SM-unknown-1',
          from: phone,
          to: t.env.SMS_FROM,
          text,
          receivedAt,
        }),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ outcome: 'unrecognised', keyword: 'unknown' });
      const [stored] = await sql<{
        body: string;
        received_at: Date;
        appointment_id: string;
        from_phone: string;
      }>(
        `SELECT body, received_at, appointment_id, from_phone FROM inbound_messages WHERE provider_message_id = 'SM-unknown-1'`,
      );
      expect(stored).toMatchObject({
        body: text,
        appointment_id: appointment.id,
        from_phone: phone,
      });
      expect(stored!.received_at.toISOString()).toBe(receivedAt);
      expect(await appointmentOf(appointment.id)).toMatchObject({
        status: 'booked',
        version: appointment.version,
      });
      expect(await count(`reminders WHERE appointment_id = $1`, [appointment.id])).toBe(
        remindersBefore,
      );
      expect(await optedOutAt(f.olivia)).toBeNull();
    });
  });

  describe('redelivery', () => {
    it('answers a redelivered message id with the stored outcome and changes nothing', async () => {
      const { appointment, phone } = await texted(f.olivia);
      const first = await reply(phone, 'C', 'SM-redelivered-1');
      expect(first.body).toEqual({ outcome: 'confirmed', keyword: 'confirm' });
      const version = (await appointmentOf(appointment.id)).version;
      const audits = await count(`audit_events`);

      const again = await reply(phone, 'C', 'SM-redelivered-1');
      expect(again).toMatchObject({
        status: 200,
        body: { outcome: 'confirmed', keyword: 'confirm' },
      });
      expect(await count(`inbound_messages WHERE provider_message_id = 'SM-redelivered-1'`)).toBe(
        1,
      );
      expect(await count(`audit_events`)).toBe(audits);
      expect((await appointmentOf(appointment.id)).version).toBe(version);

      expect((await reply(phone, 'STOP', 'SM-redelivered-2')).body.outcome).toBe('opted_out');
      expect((await reply(phone, 'STOP', 'SM-redelivered-2')).body.outcome).toBe('opted_out');
      expect(await answers(appointment.id, 'opt_out_confirmation')).toHaveLength(1);
      await sql(`UPDATE patients SET sms_opted_out_at = NULL WHERE id = $1`, [f.olivia]);
    });

    it('stores a message delivered twice at once only once', async () => {
      const { appointment, phone } = await texted(f.kwame);
      const body = JSON.stringify({
        messageId: 'SM-race-1',
        from: phone,
        to: t.env.SMS_FROM,
        text: 'HELP',
      });
      const responses = await Promise.all([deliver(body), deliver(body), deliver(body)]);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      for (const r of responses)
        expect(await r.json()).toEqual({ outcome: 'help_queued', keyword: 'help' });
      expect(await count(`inbound_messages WHERE provider_message_id = 'SM-race-1'`)).toBe(1);
      expect(await answers(appointment.id, 'help')).toHaveLength(1);
    });
  });

  describe('GET /patients/:id/messages', () => {
    it('lists the replies newest first with the opt-out state, and answers 404 to another clinic’s user', async () => {
      const { phone } = await texted(f.olivia);
      await reply(phone, 'R');
      await reply(phone, 'STOP');
      const res = await t.request(`/api/v1/patients/${f.olivia}/messages`, { token: scheduler });
      expect(res.status).toBe(200);
      const view = await res.json();
      expect(view.smsOptedOutAt).toEqual(expect.any(String));
      expect(view.emailOptedOutAt).toBeNull();
      expect(view.replies.length).toBeGreaterThanOrEqual(2);
      expect(view.replies.length).toBeLessThanOrEqual(100);
      expect(view.replies[0]).toMatchObject({
        keyword: 'opt_out',
        outcome: 'opted_out',
        text: 'STOP',
        appointmentId: expect.any(String),
      });
      expect(view.replies[1]).toMatchObject({ keyword: 'reschedule', text: 'R' });
      const times = view.replies.map((r: { receivedAt: string }) => Date.parse(r.receivedAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(
        await count(
          `audit_events WHERE action = 'patient.messages_read' AND subject_id = $1 AND outcome = 'success'`,
          [f.olivia],
        ),
      ).toBe(1);

      const outsider = await t.login('practitioner@tautline.test'); // New York Chelsea only
      const foreign = await t.request(`/api/v1/patients/${f.olivia}/messages`, { token: outsider });
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).not.toContain('STOP');
      expect(
        await count(
          `audit_events WHERE action = 'patient.messages_read' AND subject_id = $1 AND outcome = 'denied'`,
          [f.olivia],
        ),
      ).toBe(1);
      expect((await t.request(`/api/v1/patients/${f.olivia}/messages`)).status).toBe(401);
      expect(
        (await t.request(`/api/v1/patients/not-a-uuid/messages`, { token: scheduler })).status,
      ).toBe(400);
      await sql(`UPDATE patients SET sms_opted_out_at = NULL WHERE id = $1`, [f.olivia]);
    });
  });

  it('documents both routes in OpenAPI: the webhook with its signature header and no bearer token', async () => {
    const doc = await (await t.request('/api/docs-json')).json();
    const webhook = doc.paths['/api/v1/webhooks/sms'].post;
    expect(webhook.security).toBeUndefined();
    expect(webhook.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'header', name: 'X-Tautline-Signature', required: true }),
      ]),
    );
    expect(webhook.requestBody.content['application/json'].schema.required).toEqual([
      'messageId',
      'from',
      'to',
      'text',
    ]);
    expect(Object.keys(webhook.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '404']),
    );
    const messages = doc.paths['/api/v1/patients/{id}/messages'].get;
    expect(messages.security).toEqual([{ bearer: [] }]);
    expect(
      messages.responses['200'].content['application/json'].schema.properties.replies,
    ).toBeDefined();
  });

  it('logs ids and codes, never a phone number or the text of a reply', async () => {
    const lines = JSON.stringify(t.logs);
    expect(t.logs.some((l) => l.event === 'sms.reply')).toBe(true);
    for (const secret of secrets) expect(lines).not.toContain(secret);
  });
});
