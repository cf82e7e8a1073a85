import { JwtService } from '@nestjs/jwt';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('clinics and tenancy (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scheduler: string;
  let foreignClinicId: string;

  beforeAll(async () => {
    t = await startTestApp('clinics');
    scheduler = await t.login('scheduler@tautline.test');
    const [org] = await t.db.dataSource.query(
      `INSERT INTO organisations (slug, name) VALUES ('rival', 'Rival Physio') RETURNING id`,
    );
    const [clinic] = await t.db.dataSource.query(
      `INSERT INTO clinics (organisation_id, slug, name, time_zone) VALUES ($1, 'rival-paris', 'Rival Paris', 'Europe/Paris') RETURNING id`,
      [org.id],
    );
    foreignClinicId = clinic.id;
  });
  afterAll(() => t.close());

  it('lists only the caller’s clinics', async () => {
    const res = await t.request('/api/v1/clinics', { token: scheduler });
    expect(res.status).toBe(200);
    const clinics = await res.json();
    expect(clinics.map((c: { name: string }) => c.name)).toEqual(['London Bridge', 'Manchester']);
    expect(clinics[0]).toEqual({
      id: t.demo.clinicIds['london-bridge'],
      organisationId: t.demo.organisationId,
      name: 'London Bridge',
      timeZone: 'Europe/London',
      phone: '+442079460101',
    });
  });

  it('answers 404 for a clinic of the same organisation outside the caller’s set', async () => {
    const own = await t.request(`/api/v1/clinics/${t.demo.clinicIds.manchester}`, {
      token: scheduler,
    });
    expect(own.status).toBe(200);
    const other = await t.request(`/api/v1/clinics/${t.demo.clinicIds['new-york-chelsea']}`, {
      token: scheduler,
    });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('answers 404 for another organisation’s clinic, even to an admin', async () => {
    const admin = await t.login('admin@tautline.test');
    const res = await t.request(`/api/v1/clinics/${foreignClinicId}`, { token: admin });
    expect(res.status).toBe(404);
    const unknown = await t.request('/api/v1/clinics/00000000-0000-4000-8000-000000000000', {
      token: admin,
    });
    expect((await unknown.json()).detail).toBe(
      'clinic 00000000-0000-4000-8000-000000000000 was not found',
    );
    expect((await res.json()).title).toBe('Not found');
  });

  it('applies a membership change at once, without a new token', async () => {
    const token = await t.login('practitioner@tautline.test');
    const before = await t.request(`/api/v1/clinics/${t.demo.clinicIds.manchester}`, { token });
    expect(before.status).toBe(404);
    await t.db.dataSource.query(
      `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
      [
        t.demo.userIds['practitioner@tautline.test'],
        t.demo.clinicIds.manchester,
        t.demo.organisationId,
      ],
    );
    expect(
      (await t.request(`/api/v1/clinics/${t.demo.clinicIds.manchester}`, { token })).status,
    ).toBe(200);
  });

  it('names a malformed id as a 400 on the path parameter', async () => {
    const res = await t.request('/api/v1/clinics/not-a-uuid', { token: scheduler });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].field).toBe('param.id');
  });

  it('requires a valid, unexpired bearer token', async () => {
    expect((await t.request('/api/v1/clinics')).status).toBe(401);
    expect((await t.request('/api/v1/clinics', { token: 'garbage' })).status).toBe(401);
    const jwt = new JwtService({ secret: t.env.JWT_SECRET });
    const expired = await jwt.signAsync(
      {
        sub: t.demo.userIds['scheduler@tautline.test'],
        org: t.demo.organisationId,
        role: 'scheduler',
      },
      { expiresIn: -10 },
    );
    const res = await t.request('/api/v1/clinics', { token: expired });
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toBe('the token has expired');
    const forged = await new JwtService({ secret: 'x'.repeat(40) }).signAsync({
      sub: t.demo.userIds['admin@tautline.test'],
      org: t.demo.organisationId,
      role: 'admin',
    });
    expect((await t.request('/api/v1/clinics', { token: forged })).status).toBe(401);
  });

  it('keeps query strings and tokens out of the request log', async () => {
    await t.request('/api/v1/clinics?q=Marsh%20%2B447700900101', { token: scheduler });
    await new Promise((r) => setTimeout(r, 100));
    const logged = JSON.stringify(t.logs);
    expect(logged).toContain('/api/v1/clinics');
    expect(logged).not.toContain('Marsh');
    expect(logged).not.toContain('447700900101');
    expect(logged).not.toContain(scheduler);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.request('/api/v1/nowhere', { token: scheduler });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('publishes OpenAPI at /api/docs', async () => {
    const html = await t.request('/api/docs');
    expect(html.status).toBe(200);
    const doc = await (await t.request('/api/docs-json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/clinics',
        '/api/v1/clinics/{id}',
        '/api/health',
      ]),
    );
    expect(
      doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['email', 'password']);
  });
});
