import {
  countRows,
  createClinicAdmin,
  createRivalOrganisation,
  type RivalOrganisation,
  UNKNOWN_ID,
} from '../resources/testing/resource-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';
import { availabilityApi, weeklyRule } from './testing/availability-api';

describe('practitioner availability: tenancy (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  const api = availabilityApi(
    () => t,
    () => admin,
  );
  let practitioner: string;
  let rival: RivalOrganisation;
  let london: string;
  let newYork: string;
  /** Works at London Bridge and New York Chelsea. */
  let both: string;
  /** Works at London Bridge only. */
  let londoner: string;

  beforeAll(async () => {
    t = await startTestApp('availability-tenancy');
    [admin, practitioner] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('practitioner@tautline.test'),
    ]);
    rival = await createRivalOrganisation(t.db.dataSource);
    london = t.demo.clinicIds['london-bridge']!;
    newYork = t.demo.clinicIds['new-york-chelsea']!;
    const create = api.createPractitioner;
    both = await create('Transatlantic Tester', [london, newYork]);
    londoner = await create('London Tester', [london]);
  });
  afterAll(() => t.close());

  const { addRule, addException } = api;
  const rule = weeklyRule;

  it('answers 404 for another organisation’s ids and unknown ids, writing nothing', async () => {
    const ds = t.db.dataSource;
    const [rules, exceptions] = await Promise.all([
      countRows(ds, 'availability_rules'),
      countRows(ds, 'availability_exceptions'),
    ]);
    const calls = [
      t.request(`/api/v1/practitioners/${rival.practitionerId}/availability`, { token: admin }),
      t.request(`/api/v1/practitioners/${londoner}/availability?clinicId=${rival.clinicId}`, {
        token: admin,
      }),
      addRule(rival.practitionerId, rule(rival.clinicId)),
      addRule(rival.practitionerId, rule(london)),
      addRule(londoner, rule(rival.clinicId)),
      addException(rival.practitionerId, {
        kind: 'time_off',
        start: '2026-05-02T10:00:00Z',
        end: '2026-05-02T12:00:00Z',
      }),
      addException(londoner, {
        kind: 'extra_hours',
        clinicId: rival.clinicId,
        start: '2026-05-02T10:00:00Z',
        end: '2026-05-02T12:00:00Z',
      }),
      t.request(`/api/v1/availability-rules/${rival.ruleId}`, { method: 'DELETE', token: admin }),
      t.request(`/api/v1/availability-exceptions/${rival.exceptionId}`, {
        method: 'DELETE',
        token: admin,
      }),
      t.request(`/api/v1/practitioners/${UNKNOWN_ID}/availability`, { token: admin }),
      addRule(UNKNOWN_ID, rule(london)),
      addRule(londoner, rule(UNKNOWN_ID)),
      addException(UNKNOWN_ID, {
        kind: 'time_off',
        start: '2026-05-02T10:00:00Z',
        end: '2026-05-02T12:00:00Z',
      }),
      t.request(`/api/v1/availability-rules/${UNKNOWN_ID}`, { method: 'DELETE', token: admin }),
      t.request(`/api/v1/availability-exceptions/${UNKNOWN_ID}`, {
        method: 'DELETE',
        token: admin,
      }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(await countRows(ds, 'availability_rules')).toBe(rules);
    expect(await countRows(ds, 'availability_exceptions')).toBe(exceptions);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM availability_rules r JOIN availability_exceptions e USING (organisation_id) WHERE r.id = $1 AND e.id = $2`,
      [rival.ruleId, rival.exceptionId],
    );
    expect(n).toBe(1);
  });

  it('answers 404 for practitioners, clinics, rules and exceptions outside the caller’s clinics', async () => {
    const londonRule = await (await addRule(londoner, rule(london, { weekday: 7 }))).json();
    const everywhere = await (
      await addException(londoner, {
        kind: 'time_off',
        start: '2026-09-01T00:00:00Z',
        end: '2026-09-02T00:00:00Z',
      })
    ).json();
    const atLondon = await (
      await addException(londoner, {
        kind: 'time_off',
        clinicId: london,
        start: '2026-09-03T00:00:00Z',
        end: '2026-09-04T00:00:00Z',
      })
    ).json();

    // The practitioner demo user only has New York Chelsea.
    expect(
      (await t.request(`/api/v1/practitioners/${londoner}/availability`, { token: practitioner }))
        .status,
    ).toBe(404);
    expect(
      (
        await t.request(`/api/v1/practitioners/${both}/availability?clinicId=${london}`, {
          token: practitioner,
        })
      ).status,
    ).toBe(404);
    const seen = await (
      await t.request(`/api/v1/practitioners/${both}/availability`, { token: practitioner })
    ).json();
    for (const r of seen.rules) expect(r.clinicId).toBe(newYork);

    const nyAdmin = await createClinicAdmin(t, 'ny-admin-availability@tautline.test', [
      'new-york-chelsea',
    ]);
    const writes = await Promise.all([
      addRule(londoner, rule(london, { weekday: 6 }), nyAdmin),
      addRule(both, rule(london, { weekday: 6 }), nyAdmin),
      addException(
        londoner,
        { kind: 'time_off', start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' },
        nyAdmin,
      ),
      addException(
        both,
        {
          kind: 'extra_hours',
          clinicId: london,
          start: '2026-10-01T08:00:00Z',
          end: '2026-10-01T10:00:00Z',
        },
        nyAdmin,
      ),
      t.request(`/api/v1/availability-rules/${londonRule.id}`, {
        method: 'DELETE',
        token: nyAdmin,
      }),
      t.request(`/api/v1/availability-exceptions/${everywhere.id}`, {
        method: 'DELETE',
        token: nyAdmin,
      }),
      t.request(`/api/v1/availability-exceptions/${atLondon.id}`, {
        method: 'DELETE',
        token: nyAdmin,
      }),
    ]);
    expect(writes.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const still = await (
      await t.request(`/api/v1/practitioners/${londoner}/availability`, { token: admin })
    ).json();
    expect(still.rules.map((r: { id: string }) => r.id)).toContain(londonRule.id);
    expect(still.exceptions.map((e: { id: string }) => e.id)).toEqual(
      expect.arrayContaining([everywhere.id, atLondon.id]),
    );
  });
});
