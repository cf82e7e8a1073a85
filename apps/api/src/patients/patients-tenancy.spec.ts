import { startTestApp, type TestApp } from '../testing/test-app';
import {
  auditRows,
  insertPatient,
  insertRivalPatient,
  patientTableCounts,
} from './testing/patient-fixtures';

/** Every patient route, for one patient id. */
const routes = (id: string, clinicId: string) => [
  { method: 'GET', path: `/api/v1/patients/${id}` },
  { method: 'PATCH', path: `/api/v1/patients/${id}`, json: { familyName: 'Hijacked' } },
  {
    method: 'POST',
    path: `/api/v1/patients/${id}/consents`,
    json: { kind: 'estim', signedOn: '2025-01-10', version: 'X-1' },
  },
  {
    method: 'PUT',
    path: `/api/v1/patients/${id}/contraindications`,
    json: { contraindications: [{ code: 'pregnancy' }] },
  },
  { method: 'GET', path: `/api/v1/patients?clinicId=${clinicId}` },
  { method: 'POST', path: '/api/v1/patients/search', json: { clinicId } },
  {
    method: 'POST',
    path: '/api/v1/patients',
    json: {
      clinicId,
      givenName: 'New',
      familyName: 'Patient',
      dateOfBirth: '1990-01-01',
      email: 'n@example.test',
      preferredChannel: 'email',
    },
  },
];

describe('patients: tenancy, roles and bad input write nothing (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let londonBridge: string;
  let londonPatient: string;
  let rival: { clinicId: string; patientId: string };
  let before: Record<string, number>;

  const call = (token: string, r: { method: string; path: string; json?: unknown }) =>
    t.request(r.path, { method: r.method, token, json: r.json });

  beforeAll(async () => {
    t = await startTestApp('patients-tenancy');
    londonBridge = t.demo.clinicIds['london-bridge']!;
    londonPatient = await insertPatient(t, {
      clinicId: londonBridge,
      givenName: 'Londoner',
      familyName: 'Bridgewater',
    });
    rival = await insertRivalPatient(t, 'rival-patients');
    before = await patientTableCounts(t);
  });
  afterAll(() => t.close());

  it('answers 404 to the New York practitioner for a London Bridge patient on every route', async () => {
    const practitioner = await t.login('practitioner@tautline.test');
    for (const route of routes(londonPatient, londonBridge)) {
      const res = await call(practitioner, route);
      expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 404]);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    // Unscoped by clinic, the search simply does not see the patient.
    const all = await (
      await t.request('/api/v1/patients?q=bridgewater', { token: practitioner })
    ).json();
    expect(all.items).toEqual([]);
  });

  it('answers 404 to an admin for another organisation’s patient, exactly as for an unknown id', async () => {
    const admin = await t.login('admin@tautline.test');
    for (const route of routes(rival.patientId, rival.clinicId)) {
      expect([route.method, route.path, (await call(admin, route)).status]).toEqual([
        route.method,
        route.path,
        404,
      ]);
    }
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const foreign = await (
      await t.request(`/api/v1/patients/${rival.patientId}`, { token: admin })
    ).json();
    const unknown = await (
      await t.request(`/api/v1/patients/${unknownId}`, { token: admin })
    ).json();
    expect(foreign.detail).toBe(`patient ${rival.patientId} was not found`);
    expect({ ...unknown, detail: undefined, instance: undefined }).toEqual({
      ...foreign,
      detail: undefined,
      instance: undefined,
    });
    const everyone = await (
      await t.request('/api/v1/patients?q=outsider', { token: admin })
    ).json();
    expect(everyone.items).toEqual([]);
  });

  it('records the refused reads as denied, with the id asked for and no clinic', async () => {
    const denied = await auditRows(t, 'patient.read', rival.patientId);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatchObject({
      outcome: 'denied',
      clinic_id: null,
      actor_user_id: t.demo.userIds['admin@tautline.test'],
      details: { reason: 'not_visible' },
    });
    expect(await auditRows(t, 'patient.updated', londonPatient)).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        actor_user_id: t.demo.userIds['practitioner@tautline.test'],
      }),
    ]);
  });

  it('answers 403 to a supervisor (no patient.write) on every write, and lets it read', async () => {
    const supervisor = await t.login('supervisor@tautline.test');
    for (const route of routes(londonPatient, londonBridge).filter(
      (r) => r.method !== 'GET' && !r.path.endsWith('/search'),
    )) {
      const res = await call(supervisor, route);
      expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 403]);
    }
    expect(
      (await t.request(`/api/v1/patients/${londonPatient}`, { token: supervisor })).status,
    ).toBe(200);
    expect(
      (await t.request('/api/v1/patients/search', { method: 'POST', token: supervisor, json: {} }))
        .status,
    ).toBe(200);
  });

  it('names the failing field of bad input with a 400', async () => {
    const scheduler = await t.login('scheduler@tautline.test');
    const valid = {
      clinicId: londonBridge,
      givenName: 'Valid',
      familyName: 'Input',
      dateOfBirth: '1990-01-01',
      preferredChannel: 'sms',
    };
    const cases: [unknown, string][] = [
      [{ ...valid, phone: '020 7946 0101' }, 'body.phone'],
      [{ ...valid, phone: '+44 20' }, 'body.phone'],
      [valid, 'body.phone'],
      [{ ...valid, preferredChannel: 'email' }, 'body.email'],
      [{ ...valid, phone: '+447911123456', dateOfBirth: '2999-01-01' }, 'body.dateOfBirth'],
      [{ ...valid, phone: '+447911123456', dateOfBirth: '1850-01-01' }, 'body.dateOfBirth'],
      [{ ...valid, phone: '+447911123456', givenName: '' }, 'body.givenName'],
      [{ ...valid, phone: '+447911123456', clinicId: 'london' }, 'body.clinicId'],
      // PostgreSQL cannot store NUL: refused as input, never a 500.
      [{ ...valid, phone: '+447911123456', familyName: 'Nul\u0000' }, 'body.familyName'],
    ];
    for (const [json, field] of cases) {
      const res = await t.request('/api/v1/patients', { method: 'POST', token: scheduler, json });
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const patch = await t.request(`/api/v1/patients/${londonPatient}`, {
      method: 'PATCH',
      token: scheduler,
      json: { phone: null },
    });
    expect(patch.status).toBe(400);
    expect((await patch.json()).errors[0].field).toBe('body.phone');
    const empty = await t.request(`/api/v1/patients/${londonPatient}`, {
      method: 'PATCH',
      token: scheduler,
      json: {},
    });
    expect(empty.status).toBe(400);
    const nulTerm = await t.request('/api/v1/patients?q=a%00', { token: scheduler });
    expect((await nulTerm.json()).errors[0].field).toBe('query.q');
    const badId = await t.request('/api/v1/patients/not-a-uuid', { token: scheduler });
    expect((await badId.json()).errors[0].field).toBe('param.id');
    const malformed = await t.request('/api/v1/patients', {
      method: 'POST',
      token: scheduler,
      headers: { 'content-type': 'application/json' },
      body: '{"givenName":',
    });
    expect(malformed.status).toBe(400);
  });

  it('wrote nothing for any of those 4xx answers', async () => {
    expect(await patientTableCounts(t)).toEqual(before);
    const [row] = await t.db.dataSource.query(
      `SELECT family_name, clinic_id FROM patients WHERE id = $1`,
      [londonPatient],
    );
    expect(row).toEqual({ family_name: 'Bridgewater', clinic_id: londonBridge });
    // Only refusals reached the audit trail: no success was recorded for a write (sign-ins are audited too).
    const [{ outcomes }] = await t.db.dataSource.query(
      `SELECT array_agg(DISTINCT outcome) AS outcomes FROM audit_events
        WHERE action <> ALL($1) AND action NOT LIKE 'auth.%'`,
      [['patient.read', 'patient.searched']],
    );
    expect(outcomes).toEqual(['denied']);
  });

  it('documents every patient route in OpenAPI', async () => {
    const doc = await (await t.request('/api/docs-json')).json();
    expect(Object.keys(doc.paths['/api/v1/patients']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/patients/{id}']).sort()).toEqual(['get', 'patch']);
    expect(doc.paths['/api/v1/patients/{id}/consents'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/v1/patients/{id}/contraindications'].put.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/patients/search'].post.responses['200']).toBeDefined();
    expect(
      doc.paths['/api/v1/patients'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(
      expect.arrayContaining([
        'clinicId',
        'givenName',
        'familyName',
        'dateOfBirth',
        'preferredChannel',
      ]),
    );
  });
});
