import { type TestApp } from '../testing/test-app';
import {
  auditEvents,
  countRows,
  createClinicAdmin,
  startTenancyWorld,
  type RivalOrganisation,
  UNKNOWN_ID,
} from './testing/resource-fixtures';

describe('rooms (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: string;
  let scheduler: string;
  let practitioner: string;
  let rival: RivalOrganisation;
  let london: string;
  let newYork: string;

  beforeAll(async () => {
    ({ t, admin, scheduler, practitioner, rival, london, newYork } =
      await startTenancyWorld('rooms'));
  });
  afterAll(() => t.close());

  const createRoom = (clinicId: string, json: unknown, token = admin) =>
    t.request(`/api/v1/clinics/${clinicId}/rooms`, { method: 'POST', token, json });

  it('creates, reads, lists, updates and deletes a room as an admin, auditing each write without names', async () => {
    const created = await createRoom(london, { name: 'Treatment 7', hasStimulator: true });
    expect(created.status).toBe(201);
    const room = await created.json();
    expect(room).toEqual({
      id: expect.any(String),
      clinicId: london,
      name: 'Treatment 7',
      hasStimulator: true,
      active: true,
    });

    expect(await (await t.request(`/api/v1/rooms/${room.id}`, { token: admin })).json()).toEqual(
      room,
    );
    const listed = await (
      await t.request(`/api/v1/clinics/${london}/rooms`, { token: admin })
    ).json();
    expect(listed).toContainEqual(room);

    const patched = await t.request(`/api/v1/rooms/${room.id}`, {
      method: 'PATCH',
      token: admin,
      json: { name: 'Treatment 8', hasStimulator: false },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ ...room, name: 'Treatment 8', hasStimulator: false });

    const removed = await t.request(`/api/v1/rooms/${room.id}`, { method: 'DELETE', token: admin });
    expect(await removed.json()).toEqual({ id: room.id, outcome: 'deleted' });
    expect((await t.request(`/api/v1/rooms/${room.id}`, { token: admin })).status).toBe(404);

    const audit = await auditEvents(t.db.dataSource, room.id);
    expect(audit.map((a) => a.action)).toEqual(['room.created', 'room.updated', 'room.deleted']);
    for (const event of audit) {
      expect(event).toMatchObject({ subject_type: 'room', clinic_id: london, outcome: 'success' });
      expect(event.actor_user_id).toBe(t.demo.userIds['admin@tautline.test']);
      expect(JSON.stringify(event.details)).not.toMatch(/Treatment/);
    }
    expect(audit[1]!.details).toEqual({ fields: 'hasStimulator,name' });
  });

  it('deactivates instead of deleting a room that a device refers to (never a 500)', async () => {
    const room = await (
      await createRoom(london, { name: 'Stimulator room', hasStimulator: true })
    ).json();
    const device = await t.request(`/api/v1/clinics/${london}/devices`, {
      method: 'POST',
      token: admin,
      json: {
        roomId: room.id,
        serial: 'ROOM-DEL-1',
        model: 'Stim 2',
        firmware: '1.0',
        channels: 2,
      },
    });
    expect(device.status).toBe(201);
    const removed = await t.request(`/api/v1/rooms/${room.id}`, { method: 'DELETE', token: admin });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ id: room.id, outcome: 'deactivated' });
    expect((await auditEvents(t.db.dataSource, room.id)).map((a) => a.action)).toEqual([
      'room.created',
      'room.deactivated',
    ]);
  });

  it('deactivates instead of deleting a room that appointments refer to', async () => {
    const room = await (await createRoom(london, { name: 'Booked room' })).json();
    const ds = t.db.dataSource;
    const [type] = await ds.query(
      `INSERT INTO appointment_types (organisation_id, name, duration_minutes, colour) VALUES ($1, 'Room test type', 30, '#1f7a8c') RETURNING id`,
      [t.demo.organisationId],
    );
    const [person] = await ds.query(
      `INSERT INTO practitioners (organisation_id, name) VALUES ($1, 'Room Test') RETURNING id`,
      [t.demo.organisationId],
    );
    const [patient] = await ds.query(
      `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, phone, preferred_channel, time_zone)
       VALUES ($1, $2, 'Pat', 'Ient', '1980-01-01', '+447700900123', 'sms', 'Europe/London') RETURNING id`,
      [t.demo.organisationId, london],
    );
    await ds.query(
      `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
         starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, '2026-02-02T10:00:00Z', '2026-02-02T10:30:00Z', 0, 0, $7)`,
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
    const removed = await t.request(`/api/v1/rooms/${room.id}`, { method: 'DELETE', token: admin });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ id: room.id, outcome: 'deactivated' });
    expect(
      await (await t.request(`/api/v1/rooms/${room.id}`, { token: admin })).json(),
    ).toMatchObject({ active: false });
    expect((await auditEvents(ds, room.id)).map((a) => a.action)).toEqual([
      'room.created',
      'room.deactivated',
    ]);
  });

  it('answers a duplicate name in the clinic with a 409 naming body.name, writing nothing', async () => {
    await createRoom(london, { name: 'Twin' });
    const other = await (await createRoom(london, { name: 'Other' })).json();
    const rooms = await countRows(t.db.dataSource, 'rooms');
    const audits = await countRows(t.db.dataSource, 'audit_events');

    const duplicate = await createRoom(london, { name: 'Twin' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await duplicate.json()).errors).toEqual([
      { field: 'body.name', message: expect.stringMatching(/already/) },
    ]);
    const renamed = await t.request(`/api/v1/rooms/${other.id}`, {
      method: 'PATCH',
      token: admin,
      json: { name: 'Twin' },
    });
    expect(renamed.status).toBe(409);
    expect((await renamed.json()).errors[0].field).toBe('body.name');

    expect(await countRows(t.db.dataSource, 'rooms')).toBe(rooms);
    expect(await countRows(t.db.dataSource, 'audit_events')).toBe(audits);
    // The same name in another clinic is fine.
    expect((await createRoom(t.demo.clinicIds.manchester!, { name: 'Twin' })).status).toBe(201);
  });

  it('refuses bad input with a 400 naming the field and writes nothing', async () => {
    const before = await countRows(t.db.dataSource, 'rooms');
    const cases: [unknown, string][] = [
      [{ name: '' }, 'body.name'],
      [{ name: 'x'.repeat(81) }, 'body.name'],
      [{ name: 'Ok', hasStimulator: 'yes' }, 'body.hasStimulator'],
      [{ name: 'Ok', hasStimlator: true }, 'body.hasStimlator'],
    ];
    for (const [json, field] of cases) {
      const res = await createRoom(london, json);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const room = await (await createRoom(london, { name: 'Patched' })).json();
    const empty = await t.request(`/api/v1/rooms/${room.id}`, {
      method: 'PATCH',
      token: admin,
      json: {},
    });
    expect(empty.status).toBe(400);
    expect((await t.request(`/api/v1/rooms/not-a-uuid`, { token: admin })).status).toBe(400);
    expect((await createRoom('not-a-uuid', { name: 'X' })).status).toBe(400);
    expect(await countRows(t.db.dataSource, 'rooms')).toBe(before + 1);
  });

  it('lets a scheduler read but not write', async () => {
    const room = await (await createRoom(london, { name: 'Read only' })).json();
    expect((await t.request(`/api/v1/clinics/${london}/rooms`, { token: scheduler })).status).toBe(
      200,
    );
    expect((await t.request(`/api/v1/rooms/${room.id}`, { token: scheduler })).status).toBe(200);
    expect((await createRoom(london, { name: 'Nope' }, scheduler)).status).toBe(403);
    expect(
      (
        await t.request(`/api/v1/rooms/${room.id}`, {
          method: 'PATCH',
          token: scheduler,
          json: { active: false },
        })
      ).status,
    ).toBe(403);
    expect(
      (await t.request(`/api/v1/rooms/${room.id}`, { method: 'DELETE', token: scheduler })).status,
    ).toBe(403);
  });

  it('answers 404 for another organisation’s clinic or room, and for unknown ids, writing nothing', async () => {
    const before = await countRows(t.db.dataSource, 'rooms');
    const calls = [
      t.request(`/api/v1/clinics/${rival.clinicId}/rooms`, { token: admin }),
      createRoom(rival.clinicId, { name: 'Intruder' }),
      t.request(`/api/v1/rooms/${rival.roomId}`, { token: admin }),
      t.request(`/api/v1/rooms/${rival.roomId}`, {
        method: 'PATCH',
        token: admin,
        json: { name: 'Taken' },
      }),
      t.request(`/api/v1/rooms/${rival.roomId}`, { method: 'DELETE', token: admin }),
      t.request(`/api/v1/rooms/${UNKNOWN_ID}`, { token: admin }),
      createRoom(UNKNOWN_ID, { name: 'Nowhere' }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(await countRows(t.db.dataSource, 'rooms')).toBe(before);
    const [{ name, active }] = await t.db.dataSource.query(
      `SELECT name, active FROM rooms WHERE id = $1`,
      [rival.roomId],
    );
    expect({ name, active }).toEqual({ name: 'Rival room', active: true });
  });

  it('answers 404 for a clinic or room outside the caller’s clinics', async () => {
    const londonRoom = await (await createRoom(london, { name: 'London only' })).json();
    const nyRoom = await (await createRoom(newYork, { name: 'Chelsea 1' })).json();
    // The practitioner demo user only has New York Chelsea.
    expect(
      (await t.request(`/api/v1/clinics/${newYork}/rooms`, { token: practitioner })).status,
    ).toBe(200);
    expect((await t.request(`/api/v1/rooms/${nyRoom.id}`, { token: practitioner })).status).toBe(
      200,
    );
    expect(
      (await t.request(`/api/v1/clinics/${london}/rooms`, { token: practitioner })).status,
    ).toBe(404);
    expect(
      (await t.request(`/api/v1/rooms/${londonRoom.id}`, { token: practitioner })).status,
    ).toBe(404);

    // An admin of New York only cannot touch London's rooms either.
    const nyAdmin = await createClinicAdmin(t, 'ny-admin-rooms@tautline.test', [
      'new-york-chelsea',
    ]);
    const res = await Promise.all([
      createRoom(london, { name: 'Sneaky' }, nyAdmin),
      t.request(`/api/v1/rooms/${londonRoom.id}`, {
        method: 'PATCH',
        token: nyAdmin,
        json: { active: false },
      }),
      t.request(`/api/v1/rooms/${londonRoom.id}`, { method: 'DELETE', token: nyAdmin }),
    ]);
    expect(res.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(
      await (await t.request(`/api/v1/rooms/${londonRoom.id}`, { token: admin })).json(),
    ).toMatchObject({ active: true });
  });
});
