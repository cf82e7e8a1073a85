import { startTestApp, type TestApp } from '../testing/test-app';
import {
  auditEvents,
  countRows,
  createRivalOrganisation,
  type RivalOrganisation,
  UNKNOWN_ID,
} from './testing/resource-fixtures';

describe('appointment types (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  let scheduler: string;
  let practitioner: string;
  let rival: RivalOrganisation;

  beforeAll(async () => {
    t = await startTestApp('appointment-types');
    [admin, scheduler, practitioner] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('scheduler@tautline.test'),
      t.login('practitioner@tautline.test'),
    ]);
    rival = await createRivalOrganisation(t.db.dataSource);
  });
  afterAll(() => t.close());

  const create = (json: unknown, token = admin) =>
    t.request('/api/v1/appointment-types', { method: 'POST', token, json });
  const patch = (id: string, json: unknown, token = admin) =>
    t.request(`/api/v1/appointment-types/${id}`, { method: 'PATCH', token, json });

  it('creates, reads, lists and updates an appointment type as an admin, auditing each write without names', async () => {
    const created = await create({
      name: 'Spec: needling + e-stim 45',
      durationMinutes: 45,
      bufferAfterMinutes: 10,
      usesEstim: true,
      colour: '#7A3E9D',
    });
    expect(created.status).toBe(201);
    const type = await created.json();
    expect(type).toEqual({
      id: expect.any(String),
      name: 'Spec: needling + e-stim 45',
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      requiresDryNeedlingCert: true,
      usesEstim: true,
      colour: '#7A3E9D',
      active: true,
    });
    expect(
      await (await t.request(`/api/v1/appointment-types/${type.id}`, { token: admin })).json(),
    ).toEqual(type);
    expect(
      await (await t.request('/api/v1/appointment-types', { token: admin })).json(),
    ).toContainEqual(type);

    const updated = await patch(type.id, {
      durationMinutes: 50,
      bufferBeforeMinutes: 5,
      active: false,
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({
      ...type,
      durationMinutes: 50,
      bufferBeforeMinutes: 5,
      active: false,
    });

    const audit = await auditEvents(t.db.dataSource, type.id);
    expect(audit.map((a) => a.action)).toEqual([
      'appointment_type.created',
      'appointment_type.updated',
    ]);
    expect(audit[1]!.details).toEqual({ fields: 'active,bufferBeforeMinutes,durationMinutes' });
    for (const event of audit) {
      expect(event.clinic_id).toBeNull();
      expect(JSON.stringify(event.details)).not.toMatch(/needling/i);
    }
  });

  it('refuses bad input and broken rules with a 400 naming the field, writing nothing', async () => {
    const base = {
      name: 'Spec: evaluation 60',
      durationMinutes: 60,
      colour: '#1f7a8c',
      requiresDryNeedlingCert: false,
    };
    const before = await countRows(t.db.dataSource, 'appointment_types');
    const cases: [unknown, string][] = [
      [{ ...base, colour: 'teal' }, 'body.colour'],
      [{ ...base, colour: '#12345' }, 'body.colour'],
      [{ ...base, durationMinutes: 4 }, 'body.durationMinutes'],
      [{ ...base, durationMinutes: 30.5 }, 'body.durationMinutes'],
      [{ ...base, bufferAfterMinutes: 121 }, 'body.bufferAfterMinutes'],
      [{ ...base, usesEstim: true }, 'body.requiresDryNeedlingCert'],
      [{ ...base, name: '   ' }, 'body.name'],
    ];
    for (const [json, field] of cases) {
      const res = await create(json);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await countRows(t.db.dataSource, 'appointment_types')).toBe(before);

    // The rule holds for the record as it would be after a PATCH, too.
    const type = await (await create(base)).json();
    const audits = await countRows(t.db.dataSource, 'audit_events');
    const estim = await patch(type.id, { usesEstim: true });
    expect(estim.status).toBe(400);
    expect((await estim.json()).errors).toEqual([
      { field: 'body.requiresDryNeedlingCert', message: expect.stringMatching(/e-stim/) },
    ]);
    const colour = await patch(type.id, { colour: 'blue' });
    expect((await colour.json()).errors[0].field).toBe('body.colour');
    expect(
      await (await t.request(`/api/v1/appointment-types/${type.id}`, { token: admin })).json(),
    ).toEqual(type);
    expect(await countRows(t.db.dataSource, 'audit_events')).toBe(audits);
    expect((await patch(type.id, { usesEstim: true, requiresDryNeedlingCert: true })).status).toBe(
      200,
    );
  });

  it('answers a duplicate name in the organisation with a 409 naming body.name', async () => {
    const json = { name: 'Spec: needling 30', durationMinutes: 30, colour: '#1f7a8c' };
    expect((await create(json)).status).toBe(201);
    const before = await countRows(t.db.dataSource, 'appointment_types');
    const duplicate = await create(json);
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).errors[0].field).toBe('body.name');
    const other = await (await create({ ...json, name: 'Spec: needling 20' })).json();
    const renamed = await patch(other.id, { name: 'Spec: needling 30' });
    expect(renamed.status).toBe(409);
    expect(await countRows(t.db.dataSource, 'appointment_types')).toBe(before + 1);
    // Another organisation's name does not clash.
    expect((await create({ ...json, name: 'Rival needling' })).status).toBe(201);
  });

  it('lets a scheduler and a practitioner read but not write', async () => {
    const type = await (
      await create({ name: 'Readable type', durationMinutes: 30, colour: '#1f7a8c' })
    ).json();
    for (const token of [scheduler, practitioner]) {
      expect((await t.request('/api/v1/appointment-types', { token })).status).toBe(200);
      expect((await t.request(`/api/v1/appointment-types/${type.id}`, { token })).status).toBe(200);
      expect(
        (await create({ name: 'Nope', durationMinutes: 30, colour: '#1f7a8c' }, token)).status,
      ).toBe(403);
      expect((await patch(type.id, { active: false }, token)).status).toBe(403);
    }
  });

  it('answers 404 for another organisation’s type and unknown ids, writing nothing', async () => {
    const listed = await (await t.request('/api/v1/appointment-types', { token: admin })).json();
    expect(listed.map((x: { id: string }) => x.id)).not.toContain(rival.appointmentTypeId);
    const calls = [
      t.request(`/api/v1/appointment-types/${rival.appointmentTypeId}`, { token: admin }),
      patch(rival.appointmentTypeId, { durationMinutes: 90 }),
      t.request(`/api/v1/appointment-types/${UNKNOWN_ID}`, { token: admin }),
      patch(UNKNOWN_ID, { durationMinutes: 90 }),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(404);
    const [row] = await t.db.dataSource.query(
      `SELECT duration_minutes FROM appointment_types WHERE id = $1`,
      [rival.appointmentTypeId],
    );
    expect(row.duration_minutes).toBe(30);
    expect((await t.request('/api/v1/appointment-types/nope', { token: admin })).status).toBe(400);
  });
});
