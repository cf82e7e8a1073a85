import { SLOT_PAGE_DEFAULT } from '@tautline/domain';
import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { startTestApp, type TestApp } from '../testing/test-app';
import { type BookingFixture, loadBookingFixture, upcoming } from './testing/booking-fixture';

interface Slot {
  start: string;
  practitionerId: string;
}

/** Issue 10 item 12: slot answers are bounded pages with a working cursor (real PostgreSQL). */
describe('slot search pages (staff and patient link)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;

  beforeAll(async () => {
    t = await startTestApp('slots-paging');
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
  });
  afterAll(() => t.close());

  const search = async (params: Record<string, string>) => {
    const query = new URLSearchParams({
      clinicId: f.londonBridge,
      appointmentTypeId: f.dryNeedling30,
      ...params,
    });
    const res = await t.request(`/api/v1/slots?${query.toString()}`, { token: scheduler });
    return { status: res.status, body: await res.json() };
  };
  const key = (s: Slot) => `${s.start}|${s.practitionerId}`;

  it('a month at the finest grid answers one bounded page, not megabytes', async () => {
    const from = new Date(Date.now() + 60 * 60_000).toISOString();
    const to = new Date(Date.parse(from) + 31 * 86_400_000).toISOString();
    const { status, body } = await search({ from, to, grid: '5' });
    expect(status).toBe(200);
    expect(body.slots).toHaveLength(SLOT_PAGE_DEFAULT);
    expect(typeof body.nextCursor).toBe('string');
    expect(JSON.stringify(body).length).toBeLessThan(100_000);
  });

  it('the cursor walks the whole window in order, each slot once, matching one big page', async () => {
    const window = { from: upcoming(2, '07:00'), to: upcoming(3, '19:00') };
    const whole = await search({ ...window, limit: '500' });
    expect(whole.body.nextCursor).toBeNull();
    expect(whole.body.slots.length).toBeGreaterThan(60);

    const walked: Slot[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { slots: Slot[]; nextCursor: string | null } } =
        await search({
          ...window,
          limit: '25',
          ...(cursor ? { cursor } : {}),
        });
      expect(page.status).toBe(200);
      expect(page.body.slots.length).toBeLessThanOrEqual(25);
      walked.push(...page.body.slots);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(walked.map(key)).toEqual(whole.body.slots.map(key));
    expect(new Set(walked.map(key)).size).toBe(walked.length);
  });

  it('refuses a made-up cursor, a limit above 500 and an unknown parameter', async () => {
    const window = { from: upcoming(2, '07:00'), to: upcoming(2, '19:00') };
    expect((await search({ ...window, cursor: 'nope' })).body.errors).toEqual([
      { field: 'query.cursor', message: 'is not a cursor this API gave out' },
    ]);
    expect(
      (await search({ ...window, limit: '501' })).body.errors.map(
        (e: { field: string }) => e.field,
      ),
    ).toEqual(['query.limit']);
    expect((await search({ ...window, practitionerID: f.rhys })).body.errors).toEqual([
      { field: 'query.practitionerID', message: 'unrecognized key' },
    ]);
  });

  it('documents every slot query parameter, the page fields and the 429 in OpenAPI', async () => {
    const doc = await (await t.request('/api/docs-json')).json();
    const operation = doc.paths['/api/v1/slots'].get;
    const params = Object.fromEntries(
      operation.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required]),
    );
    expect(params).toEqual({
      clinicId: true,
      appointmentTypeId: true,
      from: true,
      to: true,
      practitionerId: false,
      patientId: false,
      grid: false,
      limit: false,
      cursor: false,
    });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '429']));
    expect(operation.responses['200'].content['application/json'].schema.properties).toHaveProperty(
      'nextCursor',
    );
  });

  it('a patient link answers at most 100 times, and nextFrom continues where it stopped', async () => {
    const booked = await t.request('/api/v1/appointments', {
      method: 'POST',
      token: scheduler,
      json: {
        clinicId: f.londonBridge,
        patientId: f.olivia,
        practitionerId: f.rhys,
        appointmentTypeId: f.dryNeedling30,
        start: upcoming(2, '10:00', 'Europe/London', 2),
      },
    });
    expect(booked.status).toBe(201);
    const appointment = (await booked.json()) as { id: string; start: string };
    const token = new PatientLinkSigner(t.env.JWT_SECRET).sign({
      appointmentId: appointment.id,
      exp: patientLinkExpiry(new Date(appointment.start)),
    });
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const page = async (from?: string) =>
      (
        await t.request(
          `/api/v1/patient-links/${encodeURIComponent(token)}/slots?${new URLSearchParams({ to, ...(from ? { from } : {}) }).toString()}`,
        )
      ).json();
    const first = await page();
    expect(first.slots).toHaveLength(100);
    expect(Date.parse(first.nextFrom)).toBeGreaterThan(Date.parse(first.slots[99].start));
    const second = await page(first.nextFrom);
    expect(second.slots[0].start).toBe(first.nextFrom);
    const starts = [...first.slots, ...second.slots].map((s: { start: string }) => s.start);
    expect(new Set(starts).size).toBe(starts.length);
  });
});
