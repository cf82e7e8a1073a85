import { startTestApp, type TestApp } from '../testing/test-app';
import { DevicesService } from './devices.service';

describe('stimulator registry (real PostgreSQL)', () => {
  let t: TestApp;
  let admin: string;
  let scheduler: string;
  let rooms: { withStimulator: string[]; plain: string[] };
  let london: string;

  beforeAll(async () => {
    t = await startTestApp('devices');
    [admin, scheduler] = await Promise.all([
      t.login('admin@tautline.test'),
      t.login('scheduler@tautline.test'),
    ]);
    london = t.demo.clinicIds['london-bridge']!;
    const rows = (await t.db.dataSource.query(
      `SELECT id, has_stimulator FROM rooms WHERE clinic_id = $1 ORDER BY name`,
      [london],
    )) as {
      id: string;
      has_stimulator: boolean;
    }[];
    rooms = {
      withStimulator: rows.filter((r) => r.has_stimulator).map((r) => r.id),
      plain: rows.filter((r) => !r.has_stimulator).map((r) => r.id),
    };
  });
  afterAll(() => t.close());

  const register = (json: Record<string, unknown>, token = admin, clinicId = london) =>
    t.request(`/api/v1/clinics/${clinicId}/devices`, { method: 'POST', token, json });
  const body = (serial: string, roomId: string | null) => ({
    serial,
    model: 'Tautline Stim 4',
    firmware: '2.3.1',
    channels: 4,
    roomId,
  });
  const authenticate = (key: string) => t.app.get(DevicesService).authenticate(key);

  it('registers a device with a key shown once and stored only as a hash', async () => {
    const res = await register(body('TS4-0001', rooms.withStimulator[0]!));
    expect(res.status).toBe(201);
    const device = await res.json();
    expect(device.key).toMatch(/^tld_[A-Za-z0-9_-]{43}$/);
    expect(device.keyHint).toBe(device.key.slice(0, 10));
    const [row] = await t.db.dataSource.query(`SELECT key_hash FROM devices WHERE id = $1`, [
      device.id,
    ]);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(device.key);
    const read = await (
      await t.request(`/api/v1/devices/${device.id}`, { token: scheduler })
    ).json();
    expect(read.key).toBeUndefined();
    expect(await authenticate(device.key)).toMatchObject({
      id: device.id,
      clinicId: london,
      roomId: rooms.withStimulator[0],
    });
  });

  it('refuses a plain room, a second device in a room and a duplicate serial, naming the field', async () => {
    const plain = await register(body('TS4-0002', rooms.plain[0]!));
    expect(plain.status).toBe(422);
    expect((await plain.json()).errors[0].field).toBe('body.roomId');
    const taken = await register(body('TS4-0003', rooms.withStimulator[0]!));
    expect(taken.status).toBe(409);
    expect((await taken.json()).errors[0].field).toBe('body.roomId');
    const duplicate = await register(body('TS4-0001', null));
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).errors[0].field).toBe('body.serial');
    const bad = await register({ ...body('bad serial!', null), channels: 12 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.channels',
      'body.serial',
    ]);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM devices`);
    expect(n).toBe(1);
  });

  it('rotates a key (the old one stops at once) and revokes (the key stops, the room is freed)', async () => {
    const device = await (await register(body('TS4-0010', rooms.withStimulator[1]!))).json();
    const rotated = await t.request(`/api/v1/devices/${device.id}/rotate-key`, {
      method: 'POST',
      token: admin,
    });
    expect(rotated.status).toBe(200);
    const { key } = await rotated.json();
    expect(key).not.toBe(device.key);
    expect(await authenticate(device.key)).toBeNull();
    expect(await authenticate(key)).toMatchObject({ id: device.id });
    const revoked = await t.request(`/api/v1/devices/${device.id}/revoke`, {
      method: 'POST',
      token: admin,
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ roomId: null, revokedAt: expect.any(String) });
    expect(await authenticate(key)).toBeNull();
    expect(
      (await t.request(`/api/v1/devices/${device.id}/rotate-key`, { method: 'POST', token: admin }))
        .status,
    ).toBe(409);
    // The room can take another device now.
    expect((await register(body('TS4-0011', rooms.withStimulator[1]!))).status).toBe(201);
  });

  it('keeps device management with admins and another clinic’s devices out of sight', async () => {
    expect((await register(body('TS4-0020', null), scheduler)).status).toBe(403);
    const [device] = await t.db.dataSource.query(`SELECT id FROM devices LIMIT 1`);
    const newYorkOnly = await t.login('practitioner@tautline.test');
    expect((await t.request(`/api/v1/devices/${device.id}`, { token: newYorkOnly })).status).toBe(
      404,
    );
    expect(
      (await t.request(`/api/v1/clinics/${london}/devices`, { token: newYorkOnly })).status,
    ).toBe(404);
    const listed = await (
      await t.request(`/api/v1/clinics/${london}/devices`, { token: scheduler })
    ).json();
    expect(listed.length).toBeGreaterThan(0);
  });
});
