import type { ContraindicationCode } from './screening.catalogue';
import type { ConsentRecord, ScreeningOverride } from './screening.schemas';
import { findSlots } from './slot-engine';
import {
  dryNeedling30,
  patientId,
  practitionerId,
  room,
  searchInput,
} from './testing/slot-search.fixtures';

const week = { from: '2026-06-07T23:00:00Z', to: '2026-06-10T23:00:00Z' }; // Mon 8 – Wed 10 June, London
const DN: ConsentRecord = { kind: 'dry_needling', signedOn: '2026-01-10', version: 'DN-3' };
const ES: ConsentRecord = { kind: 'estim', signedOn: '2026-01-10', version: 'ES-2' };
const estim = dryNeedling30({ durationMinutes: 45, usesEstim: true });
const withStimulator = [room(1, { hasStimulator: true })];
const patient = (
  consents: ConsentRecord[],
  contraindications: ContraindicationCode[] = [],
  override?: ScreeningOverride,
) => ({
  id: patientId(1),
  screening: { consents, contraindications, ...(override ? { override } : {}) },
});
const count = (input: Parameters<typeof findSlots>[0]): number => findSlots(input).length;

describe('findSlots: screening the patient', () => {
  it('offers nothing to a patient without consent, and everything once consented', () => {
    expect(count(searchInput({ ...week, patient: patient([]) }))).toBe(0);
    expect(count(searchInput({ ...week, patient: patient([DN]) }))).toBe(33);
    expect(
      count(
        searchInput({
          ...week,
          patient: patient([DN]),
          appointmentType: estim,
          rooms: withStimulator,
        }),
      ),
    ).toBe(0);
    expect(
      count(
        searchInput({
          ...week,
          patient: patient([DN, ES]),
          appointmentType: estim,
          rooms: withStimulator,
        }),
      ),
    ).toBe(30);
  });

  it('offers slots from the day the consent was signed', () => {
    const slots = findSlots(
      searchInput({ ...week, patient: patient([{ ...DN, signedOn: '2026-06-09' }]) }),
    );
    expect(slots[0]?.start).toBe('2026-06-09T08:00:00.000Z');
    expect(slots).toHaveLength(22);
  });

  it('keeps a patient with a pacemaker out of e-stim but not out of dry needling', () => {
    expect(
      count(
        searchInput({
          ...week,
          patient: patient([DN, ES], ['pacemaker']),
          appointmentType: estim,
          rooms: withStimulator,
        }),
      ),
    ).toBe(0);
    expect(count(searchInput({ ...week, patient: patient([DN, ES], ['pacemaker']) }))).toBe(33);
  });

  it('needs a practitioner override with a reason for relative contraindications', () => {
    expect(count(searchInput({ ...week, patient: patient([DN], ['bleeding_disorder']) }))).toBe(0);
    const override = {
      reason: 'Mild haemophilia A, factor levels normal; haematologist agrees',
      practitionerId: practitionerId(1),
    };
    expect(
      count(searchInput({ ...week, patient: patient([DN], ['bleeding_disorder'], override) })),
    ).toBe(33);
    expect(
      count(searchInput({ ...week, patient: patient([DN], ['needle_phobia'], override) })),
    ).toBe(0);
  });
});
