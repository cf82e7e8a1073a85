import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { signSmsWebhook } from './sms-signature';

/** Issue 10 item 12: five HELP texts queue one SMS; the limit lives in Redis, per phone number. */
describe('HELP replies are answered at most once per interval (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;

  beforeAll(async () => {
    t = await startTestApp('sms-help-limit');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
  });
  afterAll(() => t.close());

  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    t.db.dataSource.query(query, params) as Promise<T[]>;

  /** Gives the patient the phone, books them, and records an SMS reminder as sent to it. */
  async function texted(patientId: string, phone: string, start: string) {
    await sql(`UPDATE patients SET phone = $2, sms_opted_out_at = NULL WHERE id = $1`, [
      patientId,
      phone,
    ]);
    const res = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start,
      },
    });
    expect(res.status).toBe(201);
    const appointment = (await res.json()) as { id: string };
    await sql(
      `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, "offset", channel,
         appointment_starts_at, nominal_at, due_at, status, destination, sent_at)
       SELECT organisation_id, clinic_id, id, patient_id, 'reminder', 'P1D', 'sms', starts_at, now(), now(), 'sent', $2, now()
         FROM appointments WHERE id = $1`,
      [appointment.id, phone],
    );
    return appointment.id;
  }
  let seq = 0;
  const help = async (from: string) => {
    const body = JSON.stringify({
      messageId: `SM-help-${++seq}`,
      from,
      to: t.env.SMS_FROM,
      text: 'HELP',
    });
    const res = await t.request('/api/v1/webhooks/sms', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tautline-signature': signSmsWebhook(t.env.SMS_WEBHOOK_SECRET, body, new Date()),
      },
      body,
    });
    return { status: res.status, body: await res.json() };
  };
  const helpAnswers = async (appointmentId: string) =>
    (
      await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM reminders WHERE appointment_id = $1 AND purpose = 'help'`,
        [appointmentId],
      )
    )[0]!.n;

  it('five HELP texts from one number queue one answer; every text is still stored; another number gets its own', async () => {
    const phone = '+447700900811';
    const appointmentId = await texted(f.olivia, phone, upcoming(2, '09:00', 'Europe/London', 2));
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await help(phone)).body.outcome);
    expect(outcomes).toEqual([
      'help_queued',
      'help_recently_sent',
      'help_recently_sent',
      'help_recently_sent',
      'help_recently_sent',
    ]);
    expect(await helpAnswers(appointmentId)).toBe(1);
    const stored = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM inbound_messages WHERE from_phone = $1`,
      [phone],
    );
    expect(stored[0]!.n).toBe(5);

    const other = await texted(f.kwame, '+447700900812', upcoming(3, '09:00', 'Europe/London', 2));
    expect((await help('+447700900812')).body).toEqual({ outcome: 'help_queued', keyword: 'help' });
    expect(await helpAnswers(other)).toBe(1);
  });
});
