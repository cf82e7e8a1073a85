import {
  CONTRAINDICATIONS,
  CONTRAINDICATION_CODES,
  type ContraindicationCode,
} from './screening.catalogue';
import { screenPatient, treatmentsOf } from './screening.rules';
import type { ConsentRecord, PatientScreening } from './screening.schemas';
import { PatientScreening as PatientScreeningSchema } from './screening.schemas';

const needling = { requiresDryNeedlingCert: true, usesEstim: false };
const withEstim = { requiresDryNeedlingCert: true, usesEstim: true };
const evaluation = { requiresDryNeedlingCert: false, usesEstim: false };
const DN: ConsentRecord = { kind: 'dry_needling', signedOn: '2026-01-10', version: 'DN-3' };
const ES: ConsentRecord = { kind: 'estim', signedOn: '2026-01-10', version: 'ES-2' };
const OVERRIDE = {
  reason: 'On apixaban; INR checked, superficial points only, pressure held 60 s',
  practitionerId: '00000000-0000-4000-8000-d00000000001',
};
const screening = (
  contraindications: ContraindicationCode[],
  extra: Partial<PatientScreening> = {},
): PatientScreening => ({
  consents: [DN, ES],
  contraindications,
  ...extra,
});
const blockCodes = (s: PatientScreening, type = needling): string[] =>
  screenPatient(s, type, '2026-06-08').blocks.map((b) => `${b.code}/${b.treatment}/${b.severity}`);

describe('contraindication catalogue', () => {
  it('rates each contraindication per treatment as the clinic protocol says', () => {
    const table = Object.fromEntries(
      CONTRAINDICATION_CODES.map((c) => [
        c,
        `${CONTRAINDICATIONS[c].severity.dry_needling}/${CONTRAINDICATIONS[c].severity.estim}`,
      ]),
    );
    expect(table).toEqual({
      needle_phobia: 'absolute/absolute',
      lymphoedema: 'absolute/absolute',
      local_infection: 'absolute/absolute',
      pacemaker: 'none/absolute',
      implanted_defibrillator: 'none/absolute',
      anticoagulants: 'relative/relative',
      bleeding_disorder: 'relative/relative',
      pregnancy: 'relative/relative',
      diabetes: 'relative/relative',
      epilepsy: 'relative/relative',
      immunocompromise: 'relative/relative',
      metal_allergy: 'relative/relative',
    });
  });

  it('accepts only catalogued codes and a written override reason', () => {
    expect(
      PatientScreeningSchema.safeParse({ consents: [], contraindications: ['gout'] }).success,
    ).toBe(false);
    expect(
      PatientScreeningSchema.safeParse({
        consents: [],
        contraindications: [],
        override: { reason: '   ', practitionerId: OVERRIDE.practitionerId },
      }).success,
    ).toBe(false);
  });
});

describe('screenPatient', () => {
  it('allows a consented patient with nothing on record', () => {
    expect(screenPatient(screening([]), withEstim, '2026-06-08')).toEqual({
      allowed: true,
      blocks: [],
      needsOverride: false,
      warnings: [],
    });
  });

  it('blocks absolutely without consent, for needling and separately for e-stim', () => {
    expect(blockCodes(screening([], { consents: [] }))).toEqual([
      'consent_missing/dry_needling/absolute',
    ]);
    expect(blockCodes(screening([], { consents: [DN] }), withEstim)).toEqual([
      'consent_missing/estim/absolute',
    ]);
    expect(screenPatient(screening([], { consents: [DN] }), needling, '2026-06-08').allowed).toBe(
      true,
    );
  });

  it('only counts consent signed on or before the appointment day', () => {
    const later = screening([], { consents: [{ ...DN, signedOn: '2026-06-09' }] });
    expect(screenPatient(later, needling, '2026-06-08').allowed).toBe(false);
    expect(screenPatient(later, needling, '2026-06-09').allowed).toBe(true);
  });

  it('blocks on absolute contraindications, and an override cannot lift them', () => {
    const result = screenPatient(
      screening(['needle_phobia', 'anticoagulants'], { override: OVERRIDE }),
      needling,
      '2026-06-08',
    );
    expect(result.allowed).toBe(false);
    expect(result.needsOverride).toBe(false);
    expect(result.blocks.map((b) => b.code)).toEqual(['needle_phobia', 'anticoagulants']);
    expect(result.blocks[0]).toEqual({
      code: 'needle_phobia',
      label: 'Needle phobia',
      severity: 'absolute',
      treatment: 'dry_needling',
    });
  });

  it('lets a pacemaker block e-stim only', () => {
    expect(screenPatient(screening(['pacemaker']), needling, '2026-06-08').allowed).toBe(true);
    expect(blockCodes(screening(['pacemaker', 'implanted_defibrillator']), withEstim)).toEqual([
      'pacemaker/estim/absolute',
      'implanted_defibrillator/estim/absolute',
    ]);
  });

  it('blocks relative contraindications until a practitioner overrides with a reason, then records it', () => {
    const blocked = screenPatient(
      screening(['anticoagulants', 'pregnancy']),
      withEstim,
      '2026-06-08',
    );
    expect(blocked).toMatchObject({ allowed: false, needsOverride: true, warnings: [] });
    expect(blocked.blocks.map((b) => `${b.code}/${b.treatment}`)).toEqual([
      'anticoagulants/dry_needling',
      'pregnancy/dry_needling',
      'anticoagulants/estim',
      'pregnancy/estim',
    ]);

    const overridden = screenPatient(
      screening(['anticoagulants'], { override: { ...OVERRIDE, reason: `  ${OVERRIDE.reason} ` } }),
      needling,
      '2026-06-08',
    );
    expect(overridden).toEqual({
      allowed: true,
      blocks: [],
      needsOverride: false,
      warnings: [
        {
          code: 'relative_contraindication_overridden',
          contraindication: 'anticoagulants',
          treatment: 'dry_needling',
          reason: OVERRIDE.reason,
          practitionerId: OVERRIDE.practitionerId,
        },
      ],
    });
  });

  it('does not accept a blank override reason even when the input skipped validation', () => {
    const result = screenPatient(
      screening(['diabetes'], {
        override: { reason: '  ', practitionerId: OVERRIDE.practitionerId },
      }),
      needling,
      '2026-06-08',
    );
    expect(result).toMatchObject({ allowed: false, needsOverride: true });
  });

  it('still requires consent when relative contraindications are overridden', () => {
    const result = screenPatient(
      screening(['epilepsy'], { consents: [], override: OVERRIDE }),
      needling,
      '2026-06-08',
    );
    expect(result.allowed).toBe(false);
    expect(result.blocks.map((b) => b.code)).toEqual(['consent_missing', 'epilepsy']);
    expect(result.needsOverride).toBe(false);
  });

  it('does not screen appointments without needling (an initial evaluation)', () => {
    expect(treatmentsOf(evaluation)).toEqual([]);
    expect(treatmentsOf(withEstim)).toEqual(['dry_needling', 'estim']);
    expect(
      screenPatient(screening(['needle_phobia'], { consents: [] }), evaluation, '2026-06-08')
        .allowed,
    ).toBe(true);
  });
});
