import { startTestApp, type TestApp } from '../testing/test-app';
import { TenantScope } from '../tenancy/tenant-scope';
import { PatientsService } from './patients.service';
import { auditRows, insertPatient, patientTableCounts } from './testing/patient-fixtures';

describe('patient screening: consents and contraindications (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scheduler: string;
  let patientId: string;
  let londonBridge: string;

  const consent = (json: unknown, id = patientId) =>
    t.request(`/api/v1/patients/${id}/consents`, { method: 'POST', token: scheduler, json });
  const setContraindications = (contraindications: unknown, id = patientId) =>
    t.request(`/api/v1/patients/${id}/contraindications`, {
      method: 'PUT',
      token: scheduler,
      json: { contraindications },
    });
  const codes = (result: { blocks: { code: string }[] }) => result.blocks.map((b) => b.code);

  beforeAll(async () => {
    t = await startTestApp('patient-screening');
    scheduler = await t.login('scheduler@tautline.test');
    londonBridge = t.demo.clinicIds['london-bridge']!;
    patientId = await insertPatient(t, {
      clinicId: londonBridge,
      givenName: 'Screened',
      dateOfBirth: '1979-05-02',
    });
  });
  afterAll(() => t.close());

  it('records consents one treatment at a time, and the summary follows', async () => {
    const first = await consent({ kind: 'dry_needling', signedOn: '2025-01-10', version: 'DN-3' });
    expect(first.status).toBe(201);
    const afterDryNeedling = await first.json();
    expect(afterDryNeedling.consents).toEqual([
      { id: expect.any(String), kind: 'dry_needling', signedOn: '2025-01-10', version: 'DN-3' },
    ]);
    expect(afterDryNeedling.summary.dry_needling).toEqual({
      allowed: true,
      blocks: [],
      needsOverride: false,
      warnings: [],
    });
    expect(codes(afterDryNeedling.summary.estim)).toEqual(['consent_missing']);

    const second = await consent({ kind: 'estim', signedOn: '2025-01-10', version: 'ES-1' });
    expect(second.status).toBe(201);
    expect((await second.json()).summary.estim.allowed).toBe(true);

    const [audit] = await auditRows(t, 'patient.consent_recorded', patientId);
    expect(audit).toMatchObject({
      outcome: 'success',
      clinic_id: londonBridge,
      details: { kind: 'dry_needling' },
    });
  });

  it('refuses the same consent version twice (409), a future signature and one before birth (400)', async () => {
    const before = await patientTableCounts(t);
    const again = await consent({ kind: 'dry_needling', signedOn: '2025-02-01', version: 'DN-3' });
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toBe(
      'a dry_needling consent of version DN-3 is already on file for this patient',
    );
    for (const signedOn of ['2999-01-01', '1979-05-01']) {
      const res = await consent({ kind: 'estim', signedOn, version: 'ES-2' });
      expect(res.status).toBe(400);
      expect((await res.json()).errors[0].field).toBe('body.signedOn');
    }
    const badKind = await consent({ kind: 'acupuncture', signedOn: '2025-01-10', version: 'X' });
    expect((await badKind.json()).errors[0].field).toBe('body.kind');
    expect(await patientTableCounts(t)).toEqual(before);
  });

  it('lets a pacemaker block e-stim only', async () => {
    const res = await setContraindications([
      { code: 'pacemaker', note: 'dual-chamber, fitted 2019' },
    ]);
    expect(res.status).toBe(200);
    const screening = await res.json();
    expect(screening.contraindications).toEqual([
      {
        code: 'pacemaker',
        label: 'Implanted pacemaker',
        notedOn: expect.any(String),
        note: 'dual-chamber, fitted 2019',
      },
    ]);
    expect(screening.summary.dry_needling.allowed).toBe(true);
    expect(screening.summary.estim).toMatchObject({ allowed: false, needsOverride: false });
    expect(codes(screening.summary.estim)).toEqual(['pacemaker']);
  });

  it('makes anticoagulants need an override, replacing the list and keeping when a kept code was noted', async () => {
    await t.db.dataSource.query(
      `UPDATE patient_contraindications SET noted_on = '2024-06-01' WHERE patient_id = $1`,
      [patientId],
    );
    const both = await (
      await setContraindications([{ code: 'anticoagulants' }, { code: 'pacemaker', note: null }])
    ).json();
    expect(both.contraindications).toEqual([
      expect.objectContaining({ code: 'anticoagulants', note: null }),
      { code: 'pacemaker', label: 'Implanted pacemaker', notedOn: '2024-06-01', note: null },
    ]);

    const res = await setContraindications([{ code: 'anticoagulants', note: 'apixaban' }]);
    const screening = await res.json();
    expect(screening.contraindications.map((c: { code: string }) => c.code)).toEqual([
      'anticoagulants',
    ]);
    const blocks = (result: { blocks: { code: string; treatment: string }[] }) =>
      result.blocks.map((b) => `${b.code}/${b.treatment}`);
    expect(screening.summary.dry_needling).toMatchObject({ allowed: false, needsOverride: true });
    expect(blocks(screening.summary.dry_needling)).toEqual(['anticoagulants/dry_needling']);
    // An e-stim appointment is needling too: it is screened for both treatments.
    expect(screening.summary.estim).toMatchObject({ allowed: false, needsOverride: true });
    expect(blocks(screening.summary.estim)).toEqual([
      'anticoagulants/dry_needling',
      'anticoagulants/estim',
    ]);

    // The record read shows the same, and the audit trail has the count, never the codes or notes.
    const detail = await (
      await t.request(`/api/v1/patients/${patientId}`, { token: scheduler })
    ).json();
    expect(detail.screening).toEqual(screening);
    const audit = JSON.stringify(await auditRows(t, 'patient.contraindications_set', patientId));
    expect(audit).toContain('"count":1');
    for (const secret of ['anticoagulants', 'apixaban', 'pacemaker', 'dual-chamber'])
      expect(audit).not.toContain(secret);
  });

  it('refuses an unknown or repeated code, naming the entry, and changes nothing', async () => {
    const before = await t.db.dataSource.query(
      `SELECT code, note FROM patient_contraindications ORDER BY code`,
    );
    const unknown = await setContraindications([{ code: 'pregnancy' }, { code: 'vampirism' }]);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors.map((e: { field: string }) => e.field)).toEqual([
      'body.contraindications.1.code',
    ]);
    const twice = await setContraindications([{ code: 'pregnancy' }, { code: 'pregnancy' }]);
    expect((await twice.json()).errors[0].field).toBe('body.contraindications.1.code');
    const missing = await t.request(`/api/v1/patients/${patientId}/contraindications`, {
      method: 'PUT',
      token: scheduler,
      json: {},
    });
    expect((await missing.json()).errors[0].field).toBe('body.contraindications');
    expect(
      await t.db.dataSource.query(`SELECT code, note FROM patient_contraindications ORDER BY code`),
    ).toEqual(before);
  });

  it('clears the list with an empty one', async () => {
    const other = await insertPatient(t, { clinicId: londonBridge });
    await setContraindications([{ code: 'diabetes' }, { code: 'epilepsy' }], other);
    const cleared = await (await setContraindications([], other)).json();
    expect(cleared.contraindications).toEqual([]);
  });

  it('gives the scheduling module the screening through PatientsService.screeningFor, scoped', async () => {
    const service = t.app.get(PatientsService);
    const scope = new TenantScope(t.demo.organisationId, [londonBridge]);
    const result = await service.screeningFor(scope, patientId);
    expect(result).toEqual({
      id: patientId,
      clinicId: londonBridge,
      screening: {
        consents: [
          { kind: 'dry_needling', signedOn: '2025-01-10', version: 'DN-3' },
          { kind: 'estim', signedOn: '2025-01-10', version: 'ES-1' },
        ],
        contraindications: ['anticoagulants'],
      },
    });
    const newYorkOnly = new TenantScope(t.demo.organisationId, [
      t.demo.clinicIds['new-york-chelsea']!,
    ]);
    await expect(service.screeningFor(newYorkOnly, patientId)).rejects.toMatchObject({
      status: 404,
    });
  });
});
