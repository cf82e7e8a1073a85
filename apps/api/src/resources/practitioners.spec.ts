import { startTestApp, type TestApp } from '../testing/test-app';
import {
  auditEvents,
  countRows,
  createClinicAdmin,
  createRivalOrganisation,
  type RivalOrganisation,
  UNKNOWN_ID,
} from './testing/resource-fixtures';

describe('practitioners (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  let scheduler: string;
  let practitioner: string;
  let rival: RivalOrganisation;
  let london: string;
  let manchester: string;
  let newYork: string;

  beforeAll(async () => {
    t = await startTestApp('practitioners');
    [admin, scheduler, practitioner] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('scheduler@tautline.test'),
      t.login('practitioner@tautline.test'),
    ]);
    rival = await createRivalOrganisation(t.db.dataSource);
    london = t.demo.clinicIds['london-bridge']!;
    manchester = t.demo.clinicIds.manchester!;
    newYork = t.demo.clinicIds['new-york-chelsea']!;
  });
  afterAll(() => t.close());

  const create = (json: unknown, token = admin) =>
    t.request('/api/v1/practitioners', { method: 'POST', token, json });
  const patch = (id: string, json: unknown, token = admin) =>
    t.request(`/api/v1/practitioners/${id}`, { method: 'PATCH', token, json });

  it('creates, reads, lists and updates a practitioner as an admin, auditing each write without names', async () => {
    const created = await create({
      name: 'Dr Amara Okafor',
      credentials: 'PT, DPT',
      dryNeedlingCertExpiresOn: '2027-06-30',
      estimQualified: true,
      clinicIds: [london, newYork],
    });
    expect(created.status).toBe(201);
    const person = await created.json();
    expect(person).toEqual({
      id: expect.any(String),
      name: 'Dr Amara Okafor',
      credentials: 'PT, DPT',
      dryNeedlingCertExpiresOn: '2027-06-30',
      estimQualified: true,
      active: true,
      clinicIds: [london, newYork].sort(),
    });
    expect(
      await (await t.request(`/api/v1/practitioners/${person.id}`, { token: admin })).json(),
    ).toEqual(person);
    expect(
      await (await t.request('/api/v1/practitioners', { token: admin })).json(),
    ).toContainEqual(person);

    const updated = await patch(person.id, {
      credentials: 'PT, DPT, CMTPT',
      dryNeedlingCertExpiresOn: null,
      clinicIds: [manchester],
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({
      ...person,
      credentials: 'PT, DPT, CMTPT',
      dryNeedlingCertExpiresOn: null,
      clinicIds: [manchester],
    });

    const audit = await auditEvents(t.db.dataSource, person.id);
    expect(audit.map((a) => a.action)).toEqual(['practitioner.created', 'practitioner.updated']);
    expect(audit[1]!.details).toEqual({
      fields: 'clinicIds,credentials,dryNeedlingCertExpiresOn',
      clinicsAdded: 1,
      clinicsRemoved: 2,
    });
    for (const event of audit) expect(JSON.stringify(event.details)).not.toMatch(/Amara|Okafor/);
  });

  it('filters by clinic and shows a practitioner’s clinics only among the caller’s', async () => {
    const person = await (
      await create({ name: 'Two Cities', clinicIds: [manchester, newYork] })
    ).json();
    const inManchester = await (
      await t.request(`/api/v1/practitioners?clinicId=${manchester}`, { token: admin })
    ).json();
    expect(inManchester.map((p: { id: string }) => p.id)).toContain(person.id);
    const inLondon = await (
      await t.request(`/api/v1/practitioners?clinicId=${london}`, { token: admin })
    ).json();
    expect(inLondon.map((p: { id: string }) => p.id)).not.toContain(person.id);

    // The scheduler has London Bridge and Manchester: New York is not shown.
    const seen = await (
      await t.request(`/api/v1/practitioners/${person.id}`, { token: scheduler })
    ).json();
    expect(seen.clinicIds).toEqual([manchester]);
    // The practitioner user has New York Chelsea only.
    const listed = await (await t.request('/api/v1/practitioners', { token: practitioner })).json();
    for (const p of listed) expect(p.clinicIds).toEqual([newYork]);
    expect(listed.map((p: { id: string }) => p.id)).toContain(person.id);
  });

  it('leaves clinics the caller cannot see alone when replacing clinicIds', async () => {
    const person = await (
      await create({ name: 'Kept Elsewhere', clinicIds: [london, newYork] })
    ).json();
    const ukAdmin = await createClinicAdmin(t, 'uk-admin-practitioners@tautline.test', [
      'london-bridge',
      'manchester',
    ]);
    const res = await patch(person.id, { clinicIds: [manchester] }, ukAdmin);
    expect(res.status).toBe(200);
    expect((await res.json()).clinicIds).toEqual([manchester]);
    const all = await (
      await t.request(`/api/v1/practitioners/${person.id}`, { token: admin })
    ).json();
    expect(all.clinicIds).toEqual([manchester, newYork].sort());
  });

  it('refuses bad input with a 400 naming the field and writes nothing', async () => {
    const before = await countRows(t.db.dataSource, 'practitioners');
    const memberships = await countRows(t.db.dataSource, 'practitioner_clinics');
    const cases: [unknown, string][] = [
      [{ name: '', clinicIds: [london] }, 'body.name'],
      [{ name: 'No clinic', clinicIds: [] }, 'body.clinicIds'],
      [{ name: 'Twice', clinicIds: [london, london] }, 'body.clinicIds'],
      [
        { name: 'Bad date', dryNeedlingCertExpiresOn: '2027-02-30', clinicIds: [london] },
        'body.dryNeedlingCertExpiresOn',
      ],
      [{ name: 'Bad id', clinicIds: ['nope'] }, 'body.clinicIds.0'],
    ];
    for (const [json, field] of cases) {
      const res = await create(json);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const bad = await t.request('/api/v1/practitioners?clinicId=nope', { token: admin });
    expect((await bad.json()).errors[0].field).toBe('query.clinicId');
    expect(await countRows(t.db.dataSource, 'practitioners')).toBe(before);
    expect(await countRows(t.db.dataSource, 'practitioner_clinics')).toBe(memberships);
  });

  it('lets a scheduler read but not write', async () => {
    const person = await (await create({ name: 'Readable', clinicIds: [london] })).json();
    expect((await t.request('/api/v1/practitioners', { token: scheduler })).status).toBe(200);
    expect(
      (await t.request(`/api/v1/practitioners/${person.id}`, { token: scheduler })).status,
    ).toBe(200);
    expect((await create({ name: 'Nope', clinicIds: [london] }, scheduler)).status).toBe(403);
    expect((await patch(person.id, { active: false }, scheduler)).status).toBe(403);
  });

  it('answers 404 for another organisation’s practitioner or clinic and for unknown ids, writing nothing', async () => {
    const before = await countRows(t.db.dataSource, 'practitioners');
    const memberships = await countRows(t.db.dataSource, 'practitioner_clinics');
    const own = await (await create({ name: 'Own', clinicIds: [london] })).json();
    const calls = [
      t.request(`/api/v1/practitioners/${rival.practitionerId}`, { token: admin }),
      t.request(`/api/v1/practitioners?clinicId=${rival.clinicId}`, { token: admin }),
      patch(rival.practitionerId, { name: 'Poached' }),
      create({ name: 'Split', clinicIds: [london, rival.clinicId] }),
      patch(own.id, { clinicIds: [rival.clinicId] }),
      t.request(`/api/v1/practitioners/${UNKNOWN_ID}`, { token: admin }),
      patch(UNKNOWN_ID, { name: 'Ghost' }),
      create({ name: 'Ghost', clinicIds: [UNKNOWN_ID] }),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(404);
    expect(await countRows(t.db.dataSource, 'practitioners')).toBe(before + 1);
    expect(await countRows(t.db.dataSource, 'practitioner_clinics')).toBe(memberships + 1);
    const [rivalRow] = await t.db.dataSource.query(`SELECT name FROM practitioners WHERE id = $1`, [
      rival.practitionerId,
    ]);
    expect(rivalRow.name).toBe('Rival Practitioner');
  });

  it('answers 404 for a practitioner or clinic outside the caller’s clinics', async () => {
    const londoner = await (await create({ name: 'Londoner', clinicIds: [london] })).json();
    expect(
      (await t.request(`/api/v1/practitioners/${londoner.id}`, { token: practitioner })).status,
    ).toBe(404);
    expect(
      (await t.request(`/api/v1/practitioners?clinicId=${london}`, { token: practitioner })).status,
    ).toBe(404);
    const listed = await (await t.request('/api/v1/practitioners', { token: practitioner })).json();
    expect(listed.map((p: { id: string }) => p.id)).not.toContain(londoner.id);

    const nyAdmin = await createClinicAdmin(t, 'ny-admin-practitioners@tautline.test', [
      'new-york-chelsea',
    ]);
    const res = await Promise.all([
      patch(londoner.id, { name: 'Renamed' }, nyAdmin),
      create({ name: 'Reach', clinicIds: [london] }, nyAdmin),
      create({ name: 'Reach', clinicIds: [newYork, london] }, nyAdmin),
    ]);
    expect(res.map((r) => r.status)).toEqual([404, 404, 404]);
  });

  it('refuses to take a practitioner out of a clinic where appointments are still to come', async () => {
    const person = await (await create({ name: 'Busy', clinicIds: [london, manchester] })).json();
    const ds = t.db.dataSource;
    const [room] = await ds.query(
      `INSERT INTO rooms (organisation_id, clinic_id, name) VALUES ($1, $2, 'Busy room') RETURNING id`,
      [t.demo.organisationId, london],
    );
    const [type] = await ds.query(
      `INSERT INTO appointment_types (organisation_id, name, duration_minutes, colour) VALUES ($1, 'Busy type', 30, '#1f7a8c') RETURNING id`,
      [t.demo.organisationId],
    );
    const [patient] = await ds.query(
      `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, phone, preferred_channel, time_zone)
       VALUES ($1, $2, 'Pat', 'Ient', '1980-01-01', '+447700900124', 'sms', 'Europe/London') RETURNING id`,
      [t.demo.organisationId, london],
    );
    await ds.query(
      `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
         starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, now() + interval '2 days', now() + interval '2 days 30 minutes', 0, 0, $7)`,
      [
        t.demo.organisationId,
        london,
        patient.id,
        person.id,
        room.id,
        type.id,
        t.demo.userIds['admin@tautline.test'],
      ],
    );
    const res = await patch(person.id, { clinicIds: [manchester] });
    expect(res.status).toBe(409);
    const problem = await res.json();
    expect(problem.errors[0].field).toBe('body.clinicIds');
    expect(problem.clinicId).toBe(london);
    expect(
      (await (await t.request(`/api/v1/practitioners/${person.id}`, { token: admin })).json())
        .clinicIds,
    ).toEqual([london, manchester].sort());
  });
});
