import { startTestApp, type TestApp } from '../testing/test-app';
import { auditRows, insertPatient } from './testing/patient-fixtures';

describe('patients: records, search and audit (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scheduler: string;
  let londonBridge: string;
  let manchester: string;

  const create = (json: unknown, token = scheduler) =>
    t.request('/api/v1/patients', { method: 'POST', token, json });
  const newPatient = {
    givenName: 'Zephyrine',
    familyName: 'Quillfeather',
    dateOfBirth: '1984-07-19',
    phone: '+44 7911 123456',
    preferredChannel: 'sms',
  };

  beforeAll(async () => {
    t = await startTestApp('patients');
    scheduler = await t.login('scheduler@tautline.test');
    londonBridge = t.demo.clinicIds['london-bridge']!;
    manchester = t.demo.clinicIds.manchester!;
  });
  afterAll(() => t.close());

  it('registers a patient, normalising the phone and defaulting the zone to the clinic’s', async () => {
    const res = await create({ ...newPatient, clinicId: londonBridge });
    expect(res.status).toBe(201);
    const patient = await res.json();
    expect(patient).toEqual({
      id: expect.any(String),
      clinicId: londonBridge,
      givenName: 'Zephyrine',
      familyName: 'Quillfeather',
      dateOfBirth: '1984-07-19',
      phone: '+447911123456',
      email: null,
      preferredChannel: 'sms',
      timeZone: 'Europe/London',
      createdAt: expect.any(String),
    });
    const created = await auditRows(t, 'patient.created', patient.id);
    expect(created).toEqual([
      expect.objectContaining({
        outcome: 'success',
        clinic_id: londonBridge,
        actor_user_id: t.demo.userIds['scheduler@tautline.test'],
      }),
    ]);
  });

  it('reads a patient with an empty screening that blocks both treatments', async () => {
    const id = await insertPatient(t, {
      clinicId: manchester,
      givenName: 'Read',
      familyName: 'Only',
    });
    const res = await t.request(`/api/v1/patients/${id}`, { token: scheduler });
    expect(res.status).toBe(200);
    const detail = await res.json();
    expect(detail).toMatchObject({
      id,
      clinicId: manchester,
      givenName: 'Read',
      screening: { consents: [], contraindications: [] },
    });
    expect(detail.screening.summary.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(detail.screening.summary.dry_needling).toMatchObject({
      allowed: false,
      needsOverride: false,
    });
    expect(detail.screening.summary.estim.blocks.map((b: { code: string }) => b.code)).toEqual([
      'consent_missing',
      'consent_missing',
    ]);
  });

  it('keeps an explicit time zone and refuses one that does not exist', async () => {
    const ok = await create({
      ...newPatient,
      familyName: 'Zoned',
      clinicId: manchester,
      timeZone: 'America/Chicago',
    });
    expect((await ok.json()).timeZone).toBe('America/Chicago');
    const bad = await create({ ...newPatient, clinicId: manchester, timeZone: 'Europe/Atlantis' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].field).toBe('body.timeZone');
  });

  it('updates some fields, checks the reminder channel against the result, and audits field names only', async () => {
    const id = await insertPatient(t, {
      clinicId: londonBridge,
      givenName: 'Changing',
      familyName: 'Details',
    });
    const res = await t.request(`/api/v1/patients/${id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { email: 'changing@example.test', preferredChannel: 'email', clinicId: manchester },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      clinicId: manchester,
      email: 'changing@example.test',
      preferredChannel: 'email',
    });

    const clear = await t.request(`/api/v1/patients/${id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { email: null },
    });
    expect(clear.status).toBe(400);
    expect((await clear.json()).errors).toEqual([
      { field: 'body.email', message: 'is required when preferredChannel is email' },
    ]);
    const phoneOff = await t.request(`/api/v1/patients/${id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { phone: null },
    });
    expect(phoneOff.status).toBe(200);
    expect((await phoneOff.json()).phone).toBeNull();

    const [updated] = await auditRows(t, 'patient.updated', id);
    expect(updated).toMatchObject({
      clinic_id: manchester,
      details: { fields: 'clinicId,email,preferredChannel', fromClinicId: londonBridge },
    });
  });

  it('refuses a move to a clinic outside the caller’s set as an unknown clinic', async () => {
    const id = await insertPatient(t, { clinicId: londonBridge });
    const res = await t.request(`/api/v1/patients/${id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { clinicId: t.demo.clinicIds['new-york-chelsea'] },
    });
    expect(res.status).toBe(404);
    expect((await res.json()).detail).toMatch(/^clinic .* was not found$/);
  });

  describe('search', () => {
    beforeAll(async () => {
      for (const [givenName, familyName, phone] of [
        ['Bea', 'Searchwell', '+447700900111'],
        ['Carl', 'Searchwell', '+447700900222'],
        ['Abe', 'Searchford', '+14155552671'],
        ['Dora', 'Searchwell', '+447700900333'],
      ] as const) {
        await insertPatient(t, { clinicId: manchester, givenName, familyName, phone });
      }
      await insertPatient(t, {
        clinicId: t.demo.clinicIds['new-york-chelsea']!,
        givenName: 'Eve',
        familyName: 'Searchwell',
      });
    });

    const search = async (query: string) => {
      const res = await t.request(`/api/v1/patients?${query}`, { token: scheduler });
      expect(res.status).toBe(200);
      return res.json();
    };
    const names = (page: { items: { givenName: string; familyName: string }[] }) =>
      page.items.map((p) => `${p.givenName} ${p.familyName}`);

    it('finds by name prefix in the caller’s clinics only, ordered by family name', async () => {
      expect(names(await search('q=search'))).toEqual([
        'Abe Searchford',
        'Bea Searchwell',
        'Carl Searchwell',
        'Dora Searchwell',
      ]);
      expect(names(await search('q=car%20SEARCH'))).toEqual(['Carl Searchwell']);
      expect(names(await search(`q=search&clinicId=${londonBridge}`))).toEqual([]);
    });

    it('finds by phone, international or national', async () => {
      expect(names(await search('q=%2B1415'))).toEqual(['Abe Searchford']);
      expect(names(await search('q=07700%20900222'))).toEqual(['Carl Searchwell']);
    });

    it('looks up given ids in one read (POST body), leaving out patients the caller may not see', async () => {
      const ids = (await search('q=searchwell')).items.map((p: { id: string }) => p.id);
      const [newYork] = await t.db.dataSource.query(
        `SELECT id FROM patients WHERE given_name = 'Eve' AND family_name = 'Searchwell'`,
      );
      const res = await t.request('/api/v1/patients/search', {
        method: 'POST',
        token: scheduler,
        json: { ids: [...ids, newYork.id], limit: 50 },
      });
      expect(res.status).toBe(200);
      expect(names(await res.json())).toEqual([
        'Bea Searchwell',
        'Carl Searchwell',
        'Dora Searchwell',
      ]);
      const bad = await t.request('/api/v1/patients/search', {
        method: 'POST',
        token: scheduler,
        json: { ids: ['nope'] },
      });
      expect((await bad.json()).errors[0].field).toBe('body.ids.0');
    });

    it('treats LIKE wildcards in the term literally', async () => {
      expect((await search('q=%25')).items).toEqual([]);
      expect((await search('q=_')).items).toEqual([]);
    });

    it('pages with limit and offset', async () => {
      const first = await search('q=search&limit=3');
      expect(first).toMatchObject({ limit: 3, offset: 0, nextOffset: 3 });
      const second = await search('q=search&limit=3&offset=3');
      expect(names(second)).toEqual(['Dora Searchwell']);
      expect(second.nextOffset).toBeNull();
    });

    it('names a bad page size or clinic id as a 400 on the query', async () => {
      for (const [query, field] of [
        ['limit=51', 'query.limit'],
        ['limit=0', 'query.limit'],
        ['offset=-1', 'query.offset'],
        ['clinicId=nope', 'query.clinicId'],
      ]) {
        const res = await t.request(`/api/v1/patients?${query}`, { token: scheduler });
        expect(res.status).toBe(400);
        expect((await res.json()).errors[0].field).toBe(field);
      }
      const body = await t.request('/api/v1/patients/search', {
        method: 'POST',
        token: scheduler,
        json: { limit: 99 },
      });
      expect(body.status).toBe(400);
      expect((await body.json()).errors[0].field).toBe('body.limit');
    });

    it('writes one audit event per search, with the count and never the term', async () => {
      const before = (await auditRows(t, 'patient.searched')).length;
      await search(`q=searchw&clinicId=${manchester}`);
      const rows = await auditRows(t, 'patient.searched');
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({
        outcome: 'success',
        subject_id: null,
        clinic_id: manchester,
        details: { count: 3, by: 'name', offset: 0 },
      });
    });
  });

  it('audits every read and keeps names, birth dates and phones out of audit details and logs', async () => {
    const id = await insertPatient(t, {
      clinicId: londonBridge,
      givenName: 'Philippa',
      familyName: 'Phiguardian',
      dateOfBirth: '1971-03-05',
      phone: '+447911654321',
    });
    for (let i = 0; i < 2; i++)
      expect((await t.request(`/api/v1/patients/${id}`, { token: scheduler })).status).toBe(200);
    const reads = await auditRows(t, 'patient.read', id);
    expect(reads).toHaveLength(2);
    expect(reads[0]).toEqual({
      action: 'patient.read',
      outcome: 'success',
      subject_id: id,
      clinic_id: londonBridge,
      actor_user_id: t.demo.userIds['scheduler@tautline.test'],
      details: {},
    });
    // Searches by phone and by name (the term in the body: a query string is written to the request log)
    // and an update of the name.
    for (const q of ['+447911654321', 'philippa phig']) {
      const found = await t.request('/api/v1/patients/search', {
        method: 'POST',
        token: scheduler,
        json: { q },
      });
      expect((await found.json()).items.map((p: { id: string }) => p.id)).toEqual([id]);
    }
    await t.request(`/api/v1/patients/${id}`, {
      method: 'PATCH',
      token: scheduler,
      json: { familyName: 'Phiguardian-Renamed' },
    });

    const allAudit = JSON.stringify(await t.db.dataSource.query(`SELECT * FROM audit_events`));
    const logs = JSON.stringify(t.logs);
    expect(t.logs.length).toBeGreaterThan(0);
    for (const phi of [
      'Zephyrine',
      'Quillfeather',
      'Philippa',
      'Phiguardian',
      '1971-03-05',
      '7911654321',
      '7911123456',
    ]) {
      expect(allAudit).not.toContain(phi);
      expect(logs).not.toContain(phi);
    }
  });
});
