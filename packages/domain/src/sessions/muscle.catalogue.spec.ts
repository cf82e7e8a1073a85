import {
  MUSCLES,
  MUSCLE_CODES,
  MUSCLE_REGIONS,
  MuscleCode,
  muscleByCode,
} from './muscle.catalogue';

describe('muscle catalogue', () => {
  it('lists at least 16 muscles with unique snake_case codes, a region and referral zones', () => {
    expect(MUSCLES.length).toBeGreaterThanOrEqual(16);
    expect(new Set(MUSCLE_CODES).size).toBe(MUSCLES.length);
    for (const m of MUSCLES) {
      expect(m.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(MUSCLE_REGIONS).toContain(m.region);
      expect(m.name.length).toBeGreaterThan(0);
      expect(m.referralZones.length).toBeGreaterThan(0);
    }
  });

  it('has the muscles clinicians needle with e-stim', () => {
    expect(MUSCLE_CODES).toEqual(
      expect.arrayContaining([
        'upper_trapezius',
        'levator_scapulae',
        'sternocleidomastoid',
        'scalenes',
        'infraspinatus',
        'supraspinatus',
        'rhomboids',
        'pectoralis_minor',
        'erector_spinae_lumbar',
        'quadratus_lumborum',
        'multifidus',
        'gluteus_medius',
        'gluteus_minimus',
        'piriformis',
        'vastus_lateralis',
        'gastrocnemius',
        'soleus',
        'tibialis_anterior',
      ]),
    );
  });

  it('gives the usual referral zones', () => {
    expect(muscleByCode('upper_trapezius').referralZones).toEqual(
      expect.arrayContaining(['posterolateral neck', 'temple', 'angle of the jaw']),
    );
    expect(muscleByCode('sternocleidomastoid').referralZones).toEqual(
      expect.arrayContaining(['forehead', 'around the eye', 'ear', 'vertex']),
    );
    expect(muscleByCode('gluteus_minimus').referralZones.join(' ')).toMatch(
      /lateral thigh.*pseudo-sciatica/,
    );
    expect(muscleByCode('soleus').referralZones).toEqual(
      expect.arrayContaining(['heel', 'sacroiliac region']),
    );
  });

  it('validates codes', () => {
    expect(MuscleCode.parse('piriformis')).toBe('piriformis');
    expect(MuscleCode.safeParse('biceps_femoris').success).toBe(false);
    expect(muscleByCode('multifidus')).toMatchObject({
      code: 'multifidus',
      name: 'Multifidus',
      region: 'lower_back',
    });
    expect(() => muscleByCode('deltoid' as MuscleCode)).toThrow(RangeError);
  });
});
