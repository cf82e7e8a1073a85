import { auditEvents, countRows } from '../resources/testing/resource-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';
import { availabilityApi, weeklyRule } from './testing/availability-api';

describe('practitioner availability (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  const api = availabilityApi(
    () => t,
    () => admin,
  );
  let scheduler: string;
  let london: string;
  let newYork: string;
  /** Works at London Bridge and New York Chelsea. */
  let both: string;
  /** Works at London Bridge only. */
  let londoner: string;

  beforeAll(async () => {
    t = await startTestApp('availability');
    [admin, scheduler] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('scheduler@tautline.test'),
    ]);
    london = t.demo.clinicIds['london-bridge']!;
    newYork = t.demo.clinicIds['new-york-chelsea']!;
    const create = api.createPractitioner;
    both = await create('Transatlantic Tester', [london, newYork]);
    londoner = await create('London Tester', [london]);
  });
  afterAll(() => t.close());

  const { addRule, addException } = api;
  const rule = weeklyRule;

  it('adds, lists and removes weekly rules and exceptions as an admin, auditing each write without names', async () => {
    const created = await addRule(
      both,
      rule(newYork, { timeZone: 'America/New_York', effectiveTo: '2026-12-31' }),
    );
    expect(created.status).toBe(201);
    const weekly = await created.json();
    expect(weekly).toEqual({
      id: expect.any(String),
      practitionerId: both,
      clinicId: newYork,
      weekday: 1,
      start: '09:00',
      end: '12:30',
      effectiveFrom: '2026-01-05',
      effectiveTo: '2026-12-31',
    });
    const londonRule = await (await addRule(both, rule(london, { weekday: 2 }))).json();
    const timeOff = await (
      await addException(both, {
        kind: 'time_off',
        start: '2026-08-03T00:00:00+01:00',
        end: '2026-08-15T00:00:00+01:00',
        reason: 'Annual leave',
      })
    ).json();
    expect(timeOff).toEqual({
      id: expect.any(String),
      practitionerId: both,
      kind: 'time_off',
      start: '2026-08-02T23:00:00.000Z',
      end: '2026-08-14T23:00:00.000Z',
      reason: 'Annual leave',
    });
    const extra = await addException(both, {
      kind: 'extra_hours',
      clinicId: newYork,
      start: '2026-03-07T14:00:00Z',
      end: '2026-03-07T18:00:00Z',
    });
    expect(extra.status).toBe(201);
    const extraHours = await extra.json();
    expect(extraHours).toMatchObject({ clinicId: newYork, kind: 'extra_hours', reason: null });

    const all = await (
      await t.request(`/api/v1/practitioners/${both}/availability`, { token: admin })
    ).json();
    expect(all.rules).toEqual(expect.arrayContaining([weekly, londonRule]));
    expect(all.exceptions).toEqual([extraHours, timeOff]);
    const inNewYork = await (
      await t.request(`/api/v1/practitioners/${both}/availability?clinicId=${newYork}`, {
        token: admin,
      })
    ).json();
    expect(inNewYork).toEqual({
      practitionerId: both,
      rules: [weekly],
      exceptions: [extraHours, timeOff],
    });
    const march = await (
      await t.request(
        `/api/v1/practitioners/${both}/availability?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`,
        { token: admin },
      )
    ).json();
    expect(march.exceptions).toEqual([extraHours]);

    for (const path of [
      `availability-rules/${weekly.id}`,
      `availability-exceptions/${timeOff.id}`,
    ]) {
      const removed = await t.request(`/api/v1/${path}`, { method: 'DELETE', token: admin });
      expect(removed.status).toBe(204);
      expect((await t.request(`/api/v1/${path}`, { method: 'DELETE', token: admin })).status).toBe(
        404,
      );
    }
    const after = await (
      await t.request(`/api/v1/practitioners/${both}/availability`, { token: admin })
    ).json();
    expect(after.rules).toEqual([londonRule]);
    expect(after.exceptions).toEqual([extraHours]);

    const ruleAudit = await auditEvents(t.db.dataSource, weekly.id);
    expect(ruleAudit.map((a) => a.action)).toEqual([
      'availability_rule.created',
      'availability_rule.deleted',
    ]);
    expect(ruleAudit[0]).toMatchObject({
      clinic_id: newYork,
      details: { practitionerId: both, weekday: 1 },
    });
    const exceptionAudit = await auditEvents(t.db.dataSource, timeOff.id);
    expect(exceptionAudit.map((a) => a.action)).toEqual([
      'availability_exception.created',
      'availability_exception.deleted',
    ]);
    for (const event of [...ruleAudit, ...exceptionAudit]) {
      expect(event.actor_user_id).toBe(t.demo.userIds['admin@tautline.test']);
      expect(JSON.stringify(event.details)).not.toMatch(/Tester|leave/i);
    }
  });

  it('answers an overlapping or repeated rule with a 409 naming body.start', async () => {
    const first = await (await addRule(londoner, rule(london, { weekday: 3 }))).json();
    const before = await countRows(t.db.dataSource, 'availability_rules');
    const overlapping = await addRule(
      londoner,
      rule(london, { weekday: 3, start: '12:00', end: '15:00' }),
    );
    expect(overlapping.status).toBe(409);
    const problem = await overlapping.json();
    expect(problem.errors[0].field).toBe('body.start');
    expect(problem.conflictingRuleId).toBe(first.id);
    expect((await addRule(londoner, rule(london, { weekday: 3 }))).status).toBe(409);
    expect(await countRows(t.db.dataSource, 'availability_rules')).toBe(before);
    // Back to back, another weekday, or an earlier period that ends before: all fine.
    expect(
      (await addRule(londoner, rule(london, { weekday: 3, start: '12:30', end: '17:00' }))).status,
    ).toBe(201);
    expect((await addRule(londoner, rule(london, { weekday: 4 }))).status).toBe(201);
    expect(
      (
        await addRule(
          londoner,
          rule(london, { weekday: 3, effectiveFrom: '2025-01-06', effectiveTo: '2026-01-04' }),
        )
      ).status,
    ).toBe(201);
  });

  it('lets a scheduler read but not write', async () => {
    const weekly = await (await addRule(londoner, rule(london, { weekday: 5 }))).json();
    const off = await (
      await addException(londoner, {
        kind: 'time_off',
        clinicId: london,
        start: '2026-07-01T08:00:00Z',
        end: '2026-07-01T12:00:00Z',
      })
    ).json();
    expect(
      (await t.request(`/api/v1/practitioners/${londoner}/availability`, { token: scheduler }))
        .status,
    ).toBe(200);
    const writes = await Promise.all([
      addRule(londoner, rule(london, { weekday: 6 }), scheduler),
      addException(
        londoner,
        { kind: 'time_off', start: '2026-07-02T08:00:00Z', end: '2026-07-02T12:00:00Z' },
        scheduler,
      ),
      t.request(`/api/v1/availability-rules/${weekly.id}`, { method: 'DELETE', token: scheduler }),
      t.request(`/api/v1/availability-exceptions/${off.id}`, {
        method: 'DELETE',
        token: scheduler,
      }),
    ]);
    expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403]);
  });
});
