import { lintTemplate } from '@tautline/domain';
import {
  type RecordingSmsServer,
  startRecordingSmsServer,
  startTestSmtpServer,
  type TestSmtpServer,
} from '@tautline/queues';
import { createHmac } from 'node:crypto';
import {
  type ApiClient,
  book,
  eventually,
  gridStartAfter,
  offsetDueIn,
  openExtraHours,
  setTestPolicy,
  signIn,
} from '../support/booking-client';
import { startStack, type Stack } from '../support/stack';

const MINUTE = 60_000;

/**
 * Reminders through the whole system: the built api and worker as processes, real PostgreSQL and
 * Redis, a real SMTP server and an SMS API that records what it delivered. Policies with offsets of
 * a few seconds make reminders due while the test watches.
 */
describe('reminders end to end', () => {
  let stack: Stack;
  let sms: RecordingSmsServer;
  let smtp: TestSmtpServer;
  let admin: ApiClient;
  let scheduler: ApiClient;
  const ids: Record<string, string> = {};

  const q = <T>(sql: string, params: unknown[] = []) =>
    stack.db.dataSource.query(sql, params) as Promise<T[]>;
  const rowsOf = (appointmentId: string) =>
    q<{
      id: string;
      status: string;
      reason: string | null;
      due_at: Date;
      sent_at: Date | null;
      channel: string;
    }>(
      `SELECT id, status, reason, due_at, sent_at, channel FROM reminders WHERE appointment_id = $1 AND purpose = 'reminder' ORDER BY created_at, nominal_at`,
      [appointmentId],
    );
  const smsFor = (rowIds: string[]) =>
    sms.delivered.filter((d) => rowIds.includes(d.idempotencyKey ?? ''));
  const mailFor = (rowIds: string[]) =>
    smtp.messages.filter((m) => rowIds.some((id) => m.messageId === `<reminder-${id}@tautline>`));
  const booking = (patient: string, practitioner: string, start: Date) =>
    book(scheduler, {
      clinicId: ids.londonBridge!,
      patientId: ids[patient]!,
      practitionerId: ids[practitioner]!,
      appointmentTypeId: ids.dryNeedling30!,
      start,
    });

  beforeAll(async () => {
    sms = await startRecordingSmsServer();
    smtp = await startTestSmtpServer();
    stack = await startStack('e2e-reminders', {
      env: {
        SMS_TRANSPORT: 'http',
        SMS_API_URL: sms.url,
        EMAIL_TRANSPORT: 'smtp',
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        MESSAGE_PROVIDER_TIMEOUT_MS: '2000',
        REMINDER_LEASE_MS: '3000',
        REMINDER_BACKOFF_MS: '200',
        REMINDER_RECONCILE_EVERY_MS: '1000',
      },
    });
    const one = async (sql: string, value: string) =>
      (await q<{ id: string }>(sql, [value]))[0]!.id;
    ids.londonBridge = stack.demo.clinicIds['london-bridge']!;
    ids.rhys = await one(`SELECT id FROM practitioners WHERE name = $1`, 'Rhys Calloway');
    ids.eleanor = await one(`SELECT id FROM practitioners WHERE name = $1`, 'Eleanor Whitcombe');
    ids.dryNeedling30 = await one(
      `SELECT id FROM appointment_types WHERE name = $1`,
      'Dry needling 30 min',
    );
    ids.olivia = await one(`SELECT id FROM patients WHERE given_name = $1`, 'Olivia');
    ids.hannah = await one(`SELECT id FROM patients WHERE given_name = $1`, 'Hannah');
    admin = await signIn(stack.apiUrl, 'admin@tautline.test');
    scheduler = await signIn(stack.apiUrl, 'scheduler@tautline.test');
    await openExtraHours(admin, ids.rhys, ids.londonBridge);
    await openExtraHours(admin, ids.eleanor, ids.londonBridge);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([sms?.stop(), smtp?.stop()]);
  });

  it('sends each reminder at its due time, exactly once, by SMS or email as the patient prefers', async () => {
    const start = gridStartAfter(30 * MINUTE);
    await setTestPolicy(admin, ids.londonBridge!, [
      offsetDueIn(start, 4_000),
      offsetDueIn(start, 6_000),
    ]);
    const olivia = await booking('olivia', 'rhys', start);
    const hannah = await booking('hannah', 'eleanor', start);
    const smsRows = (await rowsOf(olivia.id)).map((r) => r.id);
    const mailRows = (await rowsOf(hannah.id)).map((r) => r.id);
    expect(smsRows).toHaveLength(2);
    expect(mailRows).toHaveLength(2);

    await eventually(async () => smsFor(smsRows).length === 2 && mailFor(mailRows).length === 2);
    for (const row of [...(await rowsOf(olivia.id)), ...(await rowsOf(hannah.id))]) {
      expect(row.status).toBe('sent');
      const lateness = row.sent_at!.getTime() - row.due_at.getTime();
      expect(lateness).toBeGreaterThanOrEqual(0);
      expect(lateness).toBeLessThan(3_000);
    }
    for (const text of smsFor(smsRows).map((d) => d.body)) {
      expect(text).toMatch(/^Hi Olivia, a reminder of your appointment at London Bridge on /);
      expect(
        lintTemplate(text, {
          channel: 'sms',
          values: { clinicName: 'London Bridge', clinicPhone: '+442079460101' },
        }),
      ).toEqual([
        { kind: 'missing', part: 'link' }, // the local PUBLIC_URL is http://; production links are https
      ]);
    }
    for (const mail of mailFor(mailRows)) {
      expect(mail.to).toEqual(['hannah.lockwood@example.com']);
      expect(mail.text).toMatch(/Dear Hannah,/);
      expect(mail.text).not.toMatch(/needl|stim/i);
    }
    // Nothing more arrives later: exactly once.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smsFor(smsRows)).toHaveLength(2);
    expect(mailFor(mailRows)).toHaveLength(2);
  });

  it('moves the reminders with a reschedule: only the new time is sent', async () => {
    const target = gridStartAfter(75 * MINUTE);
    await setTestPolicy(admin, ids.londonBridge!, [offsetDueIn(target, 5_000)]);
    // Booked 5 minutes later first (its reminder is due in 5 min 5 s), then moved to the target time.
    const appointment = await booking('olivia', 'rhys', new Date(target.getTime() + 5 * MINUTE));
    const [first] = await rowsOf(appointment.id);
    const moved = await scheduler.call('PATCH', `/appointments/${appointment.id}`, {
      version: appointment.version,
      start: target.toISOString(),
    });
    expect(moved.status).toBe(200);
    const rows = await rowsOf(appointment.id);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['cancelled', 'rescheduled'],
      ['scheduled', null],
    ]);
    const delivered = await eventually(
      async () => smsFor([rows[1]!.id]).length === 1 && smsFor([rows[1]!.id]),
    );
    const localTime = target.toLocaleTimeString('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(delivered[0]!.body).toContain(`, ${localTime} `);
    expect(smsFor([first!.id])).toEqual([]);
  });

  it('sends nothing for a cancelled appointment', async () => {
    const start = gridStartAfter(120 * MINUTE);
    await setTestPolicy(admin, ids.londonBridge!, [offsetDueIn(start, 3_000)]);
    const appointment = await booking('olivia', 'rhys', start);
    const cancelled = await scheduler.call('POST', `/appointments/${appointment.id}/cancel`, {
      reason: 'Patient unwell',
    });
    expect(cancelled.status).toBe(200);
    await new Promise((r) => setTimeout(r, 5_000));
    const rows = await rowsOf(appointment.id);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([['cancelled', 'appointment_cancelled']]);
    expect(smsFor(rows.map((r) => r.id))).toEqual([]);
  });

  it('STOP by SMS stops the reminders already queued and confirms once', async () => {
    const first = gridStartAfter(165 * MINUTE);
    await setTestPolicy(admin, ids.londonBridge!, [offsetDueIn(first, 2_000)]);
    const earlier = await booking('olivia', 'rhys', first);
    const [sent] = await rowsOf(earlier.id);
    await eventually(async () => smsFor([sent!.id]).length === 1);

    const later = gridStartAfter(210 * MINUTE);
    await setTestPolicy(admin, ids.londonBridge!, [
      offsetDueIn(later, 8_000),
      offsetDueIn(later, 9_000),
    ]);
    const queued = await booking('olivia', 'rhys', later);
    const queuedRows = (await rowsOf(queued.id)).map((r) => r.id);
    expect(queuedRows).toHaveLength(2);

    const reply = async (messageId: string, text: string) => {
      const body = JSON.stringify({ messageId, from: '+447700900101', to: '+447700900000', text });
      const t = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', 'tautline-local-sms-webhook-secret-change-me')
        .update(`${t}.${body}`)
        .digest('hex');
      return fetch(`${stack.apiUrl}/api/v1/webhooks/sms`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tautline-signature': `t=${t},v1=${signature}`,
        },
        body,
      });
    };
    expect((await reply('SM-e2e-stop-1', 'Stop')).status).toBe(200);
    const confirmation = await eventually(async () => {
      const found = sms.delivered.filter(
        (d) => d.to === '+447700900101' && /unsubscribed/.test(d.body),
      );
      return found.length > 0 && found;
    });
    expect(confirmation).toHaveLength(1);
    expect((await reply('SM-e2e-stop-2', 'STOP')).status).toBe(200);

    // Past both reminders' due times: neither went out, and no second confirmation.
    await new Promise((r) => setTimeout(r, 10_000));
    expect(smsFor(queuedRows)).toEqual([]);
    expect((await rowsOf(queued.id)).map((r) => [r.status, r.reason])).toEqual([
      ['cancelled', 'opted_out'],
      ['cancelled', 'opted_out'],
    ]);
    expect(
      sms.delivered.filter((d) => d.to === '+447700900101' && /unsubscribed/.test(d.body)),
    ).toHaveLength(1);
  });
});
