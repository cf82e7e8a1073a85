import {
  auditEvents,
  countRows,
  createClinicAdmin,
  startTenancyWorld,
  type RivalOrganisation,
  UNKNOWN_ID,
} from '../resources/testing/resource-fixtures';
import { type TestApp } from '../testing/test-app';

describe('clinic closures (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  let scheduler: string;
  let practitioner: string;
  let rival: RivalOrganisation;
  let london: string;
  let newYork: string;

  beforeAll(async () => {
    ({ t, admin, scheduler, practitioner, rival, london, newYork } =
      await startTenancyWorld('closures'));
  });
  afterAll(() => t.close());

  const close = (clinicId: string, json: unknown, token = admin) =>
    t.request(`/api/v1/clinics/${clinicId}/closures`, { method: 'POST', token, json });
  const list = (clinicId: string, token = admin, query = '') =>
    t.request(`/api/v1/clinics/${clinicId}/closures${query}`, { token });

  it('closes whole local days in the clinic’s zone across DST changes, and periods', async () => {
    // Europe/London springs forward on 2026-03-29: that day lasts 23 hours.
    const spring = await close(london, {
      date: '2026-03-29',
      reason: 'Spring clock change drill',
      timeZone: 'Europe/London',
    });
    expect(spring.status).toBe(201);
    expect(await spring.json()).toEqual({
      id: expect.any(String),
      clinicId: london,
      start: '2026-03-29T00:00:00.000Z',
      end: '2026-03-29T23:00:00.000Z',
      reason: 'Spring clock change drill',
    });
    // America/New_York falls back on 2026-11-01: that day lasts 25 hours.
    const autumn = await (
      await close(newYork, { date: '2026-11-01', reason: 'Marathon day' })
    ).json();
    expect(autumn).toMatchObject({
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-11-02T05:00:00.000Z',
    });
    const period = await (
      await close(london, {
        start: '2026-05-04T13:00:00+01:00',
        end: '2026-05-04T17:00:00+01:00',
        reason: 'Burst pipe',
      })
    ).json();
    expect(period).toMatchObject({
      start: '2026-05-04T12:00:00.000Z',
      end: '2026-05-04T16:00:00.000Z',
    });

    const listed = await (await list(london)).json();
    expect(listed.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([period.id]));
    const may = await (
      await list(london, admin, '?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z')
    ).json();
    expect(may).toEqual([period]);

    const removed = await t.request(`/api/v1/closures/${period.id}`, {
      method: 'DELETE',
      token: admin,
    });
    expect(removed.status).toBe(204);
    expect(
      await (
        await list(london, admin, '?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z')
      ).json(),
    ).toEqual([]);

    const audit = await auditEvents(t.db.dataSource, period.id);
    expect(audit.map((a) => a.action)).toEqual([
      'clinic_closure.created',
      'clinic_closure.deleted',
    ]);
    expect(audit[0]).toMatchObject({ clinic_id: london, details: { wholeDay: false } });
    for (const event of audit) expect(JSON.stringify(event.details)).not.toMatch(/pipe/i);
  });

  it('refuses bad input with a 400 naming the field and writes nothing', async () => {
    const before = await countRows(t.db.dataSource, 'clinic_closures');
    const audits = await countRows(t.db.dataSource, 'audit_events');
    const cases: [unknown, string][] = [
      [{ reason: 'Nothing given' }, 'body.date'],
      [
        {
          date: '2026-12-25',
          start: '2026-12-25T00:00:00Z',
          end: '2026-12-26T00:00:00Z',
          reason: 'Both',
        },
        'body.date',
      ],
      [{ date: '2026-02-30', reason: 'No such day' }, 'body.date'],
      [
        { start: '2026-12-25T10:00:00Z', end: '2026-12-25T09:00:00Z', reason: 'Backwards' },
        'body.end',
      ],
      [{ start: '2026-12-25T10:00:00Z', reason: 'Half' }, 'body.end'],
      [
        { start: '2026-12-25T10:00', end: '2026-12-25T12:00:00Z', reason: 'Floating time' },
        'body.start',
      ],
      [
        { start: '2026-01-01T00:00:00Z', end: '2027-06-01T00:00:00Z', reason: 'Too long' },
        'body.end',
      ],
      [{ date: '2026-12-25' }, 'body.reason'],
      [{ date: '2026-12-25', reason: 'Christmas', timeZone: 'Europe/Londres' }, 'body.timeZone'],
      [{ date: '2026-12-25', reason: 'Christmas', timeZone: 'America/New_York' }, 'body.timeZone'],
      [{ date: '2026-12-25', reason: 'Christmas', closed: true }, 'body.closed'],
    ];
    for (const [json, field] of cases) {
      const res = await close(london, json);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const query = await list(london, admin, '?from=yesterday');
    expect((await query.json()).errors[0].field).toBe('query.from');
    expect(await countRows(t.db.dataSource, 'clinic_closures')).toBe(before);
    expect(await countRows(t.db.dataSource, 'audit_events')).toBe(audits);
  });

  it('lets a scheduler read but not write', async () => {
    const closure = await (
      await close(london, { date: '2026-12-26', reason: 'Boxing Day' })
    ).json();
    expect((await list(london, scheduler)).status).toBe(200);
    expect(
      (await close(london, { date: '2026-12-28', reason: 'Bank holiday' }, scheduler)).status,
    ).toBe(403);
    expect(
      (await t.request(`/api/v1/closures/${closure.id}`, { method: 'DELETE', token: scheduler }))
        .status,
    ).toBe(403);
  });

  it('answers 404 for another organisation’s clinic or closure, a clinic outside the caller’s set and unknown ids', async () => {
    const before = await countRows(t.db.dataSource, 'clinic_closures');
    const londonClosure = await (
      await close(london, { date: '2026-08-31', reason: 'Summer bank holiday' })
    ).json();
    const nyAdmin = await createClinicAdmin(t, 'ny-admin-closures@tautline.test', [
      'new-york-chelsea',
    ]);
    const calls = [
      list(rival.clinicId),
      close(rival.clinicId, { date: '2026-12-25', reason: 'Intrusion' }),
      t.request(`/api/v1/closures/${rival.closureId}`, { method: 'DELETE', token: admin }),
      list(UNKNOWN_ID),
      close(UNKNOWN_ID, { date: '2026-12-25', reason: 'Nowhere' }),
      t.request(`/api/v1/closures/${UNKNOWN_ID}`, { method: 'DELETE', token: admin }),
      // The practitioner demo user only has New York Chelsea.
      list(london, practitioner),
      close(london, { date: '2026-12-25', reason: 'Not mine' }, nyAdmin),
      t.request(`/api/v1/closures/${londonClosure.id}`, { method: 'DELETE', token: nyAdmin }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await list(newYork, practitioner)).status).toBe(200);
    expect(await countRows(t.db.dataSource, 'clinic_closures')).toBe(before + 1);
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM clinic_closures WHERE id = $1`,
      [rival.closureId],
    );
    expect(n).toBe(1);
  });
});
