import { Availability, AppointmentType, Practitioner, Room } from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { Problem } from '../common/problem';
import { AppointmentTypesService } from '../resources/appointment-types.service';
import { ResourcesService } from '../resources/resources.service';
import {
  createRivalOrganisation,
  type RivalOrganisation,
} from '../resources/testing/resource-fixtures';
import { TenantScope } from '../tenancy/tenant-scope';
import { startTestApp, type TestApp } from '../testing/test-app';
import { AvailabilityService } from './availability.service';

/** The read services the slot search and booking import from these modules. */
describe('reads for the slot search (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let rival: RivalOrganisation;
  let london: string;
  let manchester: string;
  let scope: TenantScope;
  let practitionerIds: string[];

  const FROM = '2026-03-02T00:00:00Z';
  const TO = '2026-03-16T00:00:00Z';

  beforeAll(async () => {
    t = await startTestApp('slot-search-reads');
    rival = await createRivalOrganisation(t.db.dataSource);
    london = t.demo.clinicIds['london-bridge']!;
    manchester = t.demo.clinicIds.manchester!;
    const org = t.demo.organisationId;
    scope = new TenantScope(org, [london, manchester]);
    const ds = t.db.dataSource;

    const rows: { id: string }[] = await ds.query(
      `INSERT INTO practitioners (organisation_id, name, dry_needling_cert_expires_on, estim_qualified)
       SELECT $1, 'Reader ' || n, DATE '2027-01-01', n % 2 = 0 FROM generate_series(1, 20) n RETURNING id`,
      [org],
    );
    practitionerIds = rows.map((r) => r.id);
    await ds.query(
      `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id)
       SELECT id, $2::uuid, $3::uuid FROM unnest($1::uuid[]) id UNION ALL SELECT ($1::uuid[])[1], $4::uuid, $3::uuid`,
      [practitionerIds, london, org, manchester],
    );
    await ds.query(
      `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from, effective_to)
       WITH p AS (SELECT $1::uuid AS org, $2::uuid AS london, $4::uuid AS manchester, $3::uuid[] AS ids)
       SELECT org, id, london, 1, TIME '09:00', TIME '17:00', DATE '2026-01-01', NULL::date FROM p, unnest(p.ids) id
       UNION ALL SELECT org, ids[1], london, 2, '09:00', '12:00', '2025-01-01', '2025-12-31' FROM p
       UNION ALL SELECT org, ids[1], manchester, 3, '09:00', '12:00', '2026-01-01', NULL FROM p
       UNION ALL SELECT org, ids[2], london, 4, '13:00', '17:30', '2026-03-16', NULL FROM p`,
      [org, london, practitionerIds, manchester],
    );
    await ds.query(
      `INSERT INTO availability_exceptions (organisation_id, practitioner_id, clinic_id, kind, during) VALUES
         ($1, $2, NULL, 'time_off', tstzrange('2026-03-03T09:00:00Z', '2026-03-03T12:00:00Z')),
         ($1, $2, $3, 'extra_hours', tstzrange('2026-03-07T09:00:00Z', '2026-03-07T12:00:00Z')),
         ($1, $2, $4, 'extra_hours', tstzrange('2026-03-08T09:00:00Z', '2026-03-08T12:00:00Z')),
         ($1, $2, NULL, 'time_off', tstzrange('2026-04-01T09:00:00Z', '2026-04-01T12:00:00Z'))`,
      [org, practitionerIds[0], london, manchester],
    );
    await ds.query(
      `INSERT INTO clinic_closures (organisation_id, clinic_id, during, reason) VALUES
         ($1, $2, tstzrange('2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z'), 'Inset day'),
         ($1, $3, tstzrange('2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z'), 'Other clinic'),
         ($1, $2, tstzrange('2026-05-04T00:00:00Z', '2026-05-05T00:00:00Z'), 'Later')`,
      [org, london, manchester],
    );
    await ds.query(`UPDATE practitioners SET active = false WHERE id = $1`, [practitionerIds[19]]);
  });
  afterAll(() => t.close());

  /** A manager whose every SQL statement is counted: the reads must not grow with the data (no N+1). */
  async function counting<T>(
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<{ result: T; queries: number }> {
    const runner = t.db.dataSource.createQueryRunner();
    let queries = 0;
    const query = runner.query.bind(runner);
    runner.query = ((...args: Parameters<typeof query>) => {
      queries++;
      return query(...args);
    }) as typeof runner.query;
    try {
      return { result: await work(runner.manager), queries };
    } finally {
      await runner.release();
    }
  }

  it('AvailabilityService.forSlotSearch answers the window in the domain shapes, one query each', async () => {
    const service = t.app.get(AvailabilityService);
    const ids = [...practitionerIds, rival.practitionerId];
    const { result, queries } = await counting((m) =>
      service.forSlotSearch(scope, london, ids, FROM, TO, m),
    );
    expect(queries).toBe(3);
    expect(Availability.parse(result)).toEqual(result);

    // 20 Monday rules and the one starting on the window's last day; not the expired one, not Manchester's.
    expect(result.rules).toHaveLength(21);
    expect(result.rules.every((r) => r.clinicId === london && r.effectiveTo === null)).toBe(true);
    expect(result.rules).toContainEqual({
      practitionerId: practitionerIds[0],
      clinicId: london,
      weekday: 1,
      start: '09:00',
      end: '17:00',
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
    });
    // Starts on the last day of the window: a local date there may still fall inside it.
    expect(result.rules).toContainEqual(
      expect.objectContaining({ practitionerId: practitionerIds[1], weekday: 4 }),
    );
    expect(result.exceptions).toEqual([
      {
        practitionerId: practitionerIds[0],
        kind: 'time_off',
        start: '2026-03-03T09:00:00.000Z',
        end: '2026-03-03T12:00:00.000Z',
      },
      {
        practitionerId: practitionerIds[0],
        clinicId: london,
        kind: 'extra_hours',
        start: '2026-03-07T09:00:00.000Z',
        end: '2026-03-07T12:00:00.000Z',
      },
    ]);
    expect(result.closures).toEqual([
      {
        clinicId: london,
        start: '2026-03-09T00:00:00.000Z',
        end: '2026-03-10T00:00:00.000Z',
        reason: 'Inset day',
      },
    ]);

    const none = await service.forSlotSearch(scope, london, [], new Date(FROM), new Date(TO));
    expect(none).toEqual({ rules: [], exceptions: [], closures: result.closures });
  });

  it('ResourcesService.forSlotSearch answers rooms and active practitioners in the domain shapes, in three queries', async () => {
    const service = t.app.get(ResourcesService);
    const { result, queries } = await counting((m) => service.forSlotSearch(scope, london, m));
    expect(queries).toBe(3);
    for (const room of result.rooms) expect(Room.parse(room)).toEqual(room);
    for (const p of result.practitioners) expect(Practitioner.parse(p)).toEqual(p);
    expect(result.rooms.every((r) => r.clinicId === london)).toBe(true);
    const ids = result.practitioners.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(practitionerIds.slice(0, 19)));
    expect(ids).not.toContain(practitionerIds[19]);
    expect(result.practitioners.find((p) => p.id === practitionerIds[0])).toEqual({
      id: practitionerIds[0],
      name: 'Reader 1',
      dryNeedlingCertExpiresOn: '2027-01-01',
      estimQualified: false,
      clinicIds: [london, manchester].sort(),
    });
    // Clinics outside the scope are not listed on a practitioner.
    const londonOnly = await service.forSlotSearch(
      new TenantScope(t.demo.organisationId, [london]),
      london,
    );
    expect(londonOnly.practitioners.find((p) => p.id === practitionerIds[0])?.clinicIds).toEqual([
      london,
    ]);
  });

  it('AppointmentTypesService.get answers the domain AppointmentType of the organisation only', async () => {
    const types = t.app.get(AppointmentTypesService);
    const [own] = await t.db.dataSource.query(
      `INSERT INTO appointment_types (organisation_id, name, duration_minutes, buffer_after_minutes, uses_estim, colour, active)
       VALUES ($1, 'Reader e-stim', 45, 10, true, '#7a3e9d', false) RETURNING id`,
      [t.demo.organisationId],
    );
    const type = await types.get(scope, own.id);
    expect(AppointmentType.parse(type)).toEqual(type);
    expect(type).toEqual({
      id: own.id,
      name: 'Reader e-stim',
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      requiresDryNeedlingCert: true,
      usesEstim: true,
      colour: '#7a3e9d',
    });
    await expect(types.get(scope, rival.appointmentTypeId)).rejects.toMatchObject({ status: 404 });
  });

  it('answers 404 (a Problem) for another organisation’s clinic or a clinic outside the scope', async () => {
    const availability = t.app.get(AvailabilityService);
    const resources = t.app.get(ResourcesService);
    const newYorkOnly = new TenantScope(t.demo.organisationId, [
      t.demo.clinicIds['new-york-chelsea']!,
    ]);
    for (const attempt of [
      availability.forSlotSearch(scope, rival.clinicId, [rival.practitionerId], FROM, TO),
      availability.forSlotSearch(newYorkOnly, london, practitionerIds, FROM, TO),
      resources.forSlotSearch(scope, rival.clinicId),
      resources.forSlotSearch(newYorkOnly, london),
    ]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Problem);
      expect((error as Problem).getStatus()).toBe(404);
    }
  });
});
