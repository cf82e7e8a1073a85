import { countRows } from '../resources/testing/resource-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';
import { availabilityApi, weeklyRule } from './testing/availability-api';

describe('practitioner availability: bad input (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  const api = availabilityApi(
    () => t,
    () => admin,
  );
  let london: string;
  let manchester: string;
  let newYork: string;
  /** Works at London Bridge only. */
  let londoner: string;

  beforeAll(async () => {
    t = await startTestApp('availability-validation');
    admin = await t.login('admin@tautline.test');
    london = t.demo.clinicIds['london-bridge']!;
    manchester = t.demo.clinicIds.manchester!;
    newYork = t.demo.clinicIds['new-york-chelsea']!;
    const create = api.createPractitioner;
    londoner = await create('London Tester', [london]);
  });
  afterAll(() => t.close());

  const { addRule, addException } = api;
  const rule = weeklyRule;

  it('refuses bad input with a 400 naming the field and writes nothing', async () => {
    const ds = t.db.dataSource;
    const [rules, exceptions, audits] = await Promise.all(
      ['availability_rules', 'availability_exceptions', 'audit_events'].map((table) =>
        countRows(ds, table),
      ),
    );
    const ruleCases: [unknown, string][] = [
      [rule(london, { start: '12:00', end: '09:00' }), 'body.end'],
      [rule(london, { end: '09:00' }), 'body.end'],
      [rule(london, { weekday: 8 }), 'body.weekday'],
      [rule(london, { weekday: 0 }), 'body.weekday'],
      [rule(london, { start: '24:00' }), 'body.start'],
      [rule(london, { start: '9:00' }), 'body.start'],
      [rule(london, { effectiveFrom: '2026-02-30' }), 'body.effectiveFrom'],
      [rule(london, { effectiveTo: '2026-01-04' }), 'body.effectiveTo'],
      [rule(london, { timeZone: 'Mars/Olympus_Mons' }), 'body.timeZone'],
      [rule(london, { timeZone: 'GMT' }), 'body.timeZone'],
      // A real zone, but not the clinic's: the times would be read in the wrong zone.
      [rule(london, { timeZone: 'America/New_York' }), 'body.timeZone'],
      [rule(newYork), 'body.clinicId'],
      [rule('nope'), 'body.clinicId'],
    ];
    for (const [json, field] of ruleCases) {
      const res = await addRule(londoner, json);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const exceptionCases: [unknown, string][] = [
      [
        { kind: 'time_off', start: '2026-05-02T10:00:00Z', end: '2026-05-02T09:00:00Z' },
        'body.end',
      ],
      [
        { kind: 'time_off', start: '2026-05-02T10:00:00', end: '2026-05-02T12:00:00Z' },
        'body.start',
      ],
      [
        { kind: 'extra_hours', start: '2026-05-02T10:00:00Z', end: '2026-05-02T12:00:00Z' },
        'body.clinicId',
      ],
      [
        { kind: 'holiday', start: '2026-05-02T10:00:00Z', end: '2026-05-02T12:00:00Z' },
        'body.kind',
      ],
      [
        { kind: 'time_off', start: '2026-01-01T00:00:00Z', end: '2027-06-01T00:00:00Z' },
        'body.end',
      ],
      [
        {
          kind: 'extra_hours',
          clinicId: manchester,
          start: '2026-05-02T10:00:00Z',
          end: '2026-05-02T12:00:00Z',
        },
        'body.clinicId',
      ],
    ];
    for (const [json, field] of exceptionCases) {
      const res = await addException(londoner, json);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const query = await t.request(
      `/api/v1/practitioners/${londoner}/availability?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
      {
        token: admin,
      },
    );
    expect((await query.json()).errors[0].field).toBe('query.to');
    expect(
      await Promise.all(
        ['availability_rules', 'availability_exceptions', 'audit_events'].map((x) =>
          countRows(ds, x),
        ),
      ),
    ).toEqual([rules, exceptions, audits]);
  });
});
