import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createApp } from '../app.factory';
import { type BookingFixture, loadBookingFixture } from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp, type TestResponse } from '../testing/test-app';

/** Issue 10 item 12: per-user and per-link limits in Redis, shared by every API instance (real Redis). */
describe('rate limits (real Redis, two API instances)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let second: NestFastifyApplication;
  let secondUrl: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp('rate-limit', {
      RATE_LIMIT_SLOTS_PER_MINUTE: '3',
      RATE_LIMIT_BOOKINGS_PER_MINUTE: '2',
      RATE_LIMIT_NOTICES_PER_MINUTE: '2',
      RATE_LIMIT_PATIENT_SEARCH_PER_MINUTE: '3',
      RATE_LIMIT_PATIENT_LINK_SLOTS_PER_MINUTE: '2',
      LOG_LEVEL: 'silent',
    });
    f = await loadBookingFixture(t);
    // Another instance of the API on the same database and Redis prefix, as in production.
    second = await createApp(t.env, { logStream: new PassThrough() });
    await second.listen(0, '127.0.0.1');
    secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
    for (const who of ['admin', 'scheduler', 'supervisor'])
      tokens[who] = await t.login(`${who}@tautline.test`);
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const on = (
    base: 'first' | 'second',
    path: string,
    token?: string,
    json?: unknown,
  ): Promise<TestResponse> =>
    fetch(`${base === 'first' ? t.url : secondUrl}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const slots = () => {
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    return `/api/v1/slots?clinicId=${f.londonBridge}&appointmentTypeId=${f.dryNeedling30}&from=${from}&to=${to}`;
  };
  async function expectTooMany(res: TestResponse) {
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await res.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
  }

  it('slot search: over the per-user limit is 429 + Retry-After, counted across both instances; another user is unaffected', async () => {
    expect((await on('first', slots(), tokens.scheduler)).status).toBe(200);
    expect((await on('second', slots(), tokens.scheduler)).status).toBe(200);
    expect((await on('first', slots(), tokens.scheduler)).status).toBe(200);
    await expectTooMany(await on('second', slots(), tokens.scheduler));
    await expectTooMany(await on('first', slots(), tokens.scheduler));
    expect((await on('second', slots(), tokens.admin)).status).toBe(200);
  });

  it('bookings: every attempt counts, even a refused one, so a flood is cut off', async () => {
    const attempt = () =>
      on('first', '/api/v1/appointments', tokens.admin, { clinicId: f.londonBridge });
    expect((await attempt()).status).toBe(400);
    expect((await on('second', '/api/v1/appointments/series', tokens.admin, {})).status).toBe(400);
    await expectTooMany(await attempt());
    expect((await on('first', '/api/v1/appointments', tokens.scheduler, {})).status).toBe(400);
  });

  it('notices: per user', async () => {
    const post = (token: string) =>
      on('first', `/api/v1/clinics/${f.londonBridge}/notices`, token, {
        message: 'Room 3 stimulator out',
      });
    expect((await post(tokens.supervisor!)).status).toBe(202);
    expect((await post(tokens.supervisor!)).status).toBe(202);
    await expectTooMany(await post(tokens.supervisor!));
    expect((await post(tokens.admin!)).status).toBe(202);
  });

  it('patient search: GET and POST search share one per-user limit', async () => {
    expect((await on('first', `/api/v1/patients?q=oli`, tokens.scheduler)).status).toBe(200);
    expect(
      (await on('second', '/api/v1/patients/search', tokens.scheduler, { q: 'oli' })).status,
    ).toBe(200);
    expect(
      (await on('first', '/api/v1/patients/search', tokens.scheduler, { q: 'kw' })).status,
    ).toBe(200);
    await expectTooMany(await on('second', `/api/v1/patients?q=oli`, tokens.scheduler));
    expect((await on('first', `/api/v1/patients?q=oli`, tokens.admin)).status).toBe(200);
    // A calendar naming its cards by id is not a search: it goes on working.
    expect(
      (
        await on('first', '/api/v1/patients/search', tokens.scheduler, {
          ids: [f.olivia],
          limit: 1,
        })
      ).status,
    ).toBe(200);
  });

  it('patient-link slot search: per link token, whatever the instance; another link is unaffected', async () => {
    // Unknown appointments answer 404, but every attempt at one link counts.
    const link = (token: string, base: 'first' | 'second') =>
      on(base, `/api/v1/patient-links/${token}/slots`);
    const a = `a${randomUUID().replace(/-/g, '')}`;
    const b = `b${randomUUID().replace(/-/g, '')}`;
    expect((await link(a, 'first')).status).toBe(404);
    expect((await link(a, 'second')).status).toBe(404);
    await expectTooMany(await link(a, 'first'));
    expect((await link(b, 'second')).status).toBe(404);
  });
});
