import { type BookingFixture, loadBookingFixture } from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { gridStartAfter, openExtraHours } from './testing/soon';

/** Issue 10 item 17: a policy whose every offset falls inside its own cut-off is refused; README's recipe sends. */
describe('reminder policy validation (API)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let admin: string;
  let scheduler: string;

  beforeAll(async () => {
    t = await startTestApp('reminder-policy-validation');
    f = await loadBookingFixture(t);
    [admin, scheduler] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('scheduler@tautline.test'),
    ]);
  });
  afterAll(() => t.close());

  const clinicPolicy = () => `/api/v1/clinics/${f.londonBridge}/reminder-policy`;
  const put = (path: string, json: unknown) =>
    t.request(path, { method: 'PUT', token: admin, json });

  it.each([
    ['the clinic', () => `/api/v1/clinics/${f.londonBridge}/reminder-policy`],
    ['the organisation', () => '/api/v1/reminder-policy'],
  ])(
    'refuses for %s a policy that could never send, naming body.offsets, and writes nothing',
    async (_, path) => {
      const res = await put(path(), { offsets: ['PT55M'], changeGraceMinutes: 0 });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await res.json();
      expect(problem.errors).toEqual([
        {
          field: 'body.offsets',
          message: expect.stringContaining('every offset is shorter than minimumLeadMinutes (60)'),
        },
      ]);
      const read = await (await t.request(clinicPolicy(), { token: admin })).json();
      expect(read.source).toBe('default');
    },
  );

  it('refuses a misspelt field instead of ignoring it', async () => {
    const res = await put(clinicPolicy(), { offsets: ['P1D'], quietHour: null });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([
      { field: 'body.quietHour', message: 'unrecognized key' },
    ]);
  });

  it("README's recipe plans a reminder that really goes out (scheduled, not skipped within_cutoff)", async () => {
    const recipe = {
      offsets: ['PT55M'],
      minimumLeadMinutes: 30,
      quietHours: null,
      changeGraceMinutes: 0,
    };
    expect((await put(clinicPolicy(), recipe)).status).toBe(200);
    await openExtraHours(t, admin, f.rhys, f.londonBridge);
    const start = gridStartAfter(60 * 60_000);
    const booked = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId: f.olivia,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start: start.toISOString(),
      },
    });
    expect(booked.status).toBe(201);
    const plan = await (
      await t.request(`/api/v1/appointments/${(await booked.json()).id}/reminders`, {
        token: scheduler,
      })
    ).json();
    expect(plan).toEqual([
      expect.objectContaining({ offset: 'PT55M', status: 'scheduled', reason: null }),
    ]);
    expect(Date.parse(plan[0].dueAt)).toBe(start.getTime() - 55 * 60_000);
  });
});
