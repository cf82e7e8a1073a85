import { z } from 'zod';

/** Body regions the live board groups channels by. */
export const MUSCLE_REGIONS = [
  'neck',
  'shoulder',
  'upper_back',
  'chest',
  'lower_back',
  'hip',
  'thigh',
  'leg',
] as const;
export const MuscleRegion = z.enum(MUSCLE_REGIONS);
export type MuscleRegion = z.infer<typeof MuscleRegion>;

/** Which side a needle is in; spinal muscles such as multifidus may be needled at the midline. */
export const BODY_SIDES = ['left', 'right', 'midline'] as const;
export const BodySide = z.enum(BODY_SIDES);
export type BodySide = z.infer<typeof BodySide>;

export interface Muscle {
  code: string;
  name: string;
  region: MuscleRegion;
  /** Where its trigger points usually refer pain (Travell & Simons), as a clinician looks them up. */
  referralZones: readonly string[];
}

const muscle = <C extends string>(
  code: C,
  name: string,
  region: MuscleRegion,
  referralZones: string[],
) => ({ code, name, region, referralZones }) as const satisfies Muscle;

/** Muscles a clinician targets with intramuscular e-stim; channel plans refer to them by code. */
export const MUSCLES = [
  muscle('upper_trapezius', 'Upper trapezius', 'neck', [
    'posterolateral neck',
    'mastoid process',
    'temple',
    'angle of the jaw',
    'behind the eye',
  ]),
  muscle('levator_scapulae', 'Levator scapulae', 'neck', [
    'angle of the neck',
    'medial border of the scapula',
    'posterior shoulder',
  ]),
  muscle('sternocleidomastoid', 'Sternocleidomastoid', 'neck', [
    'forehead',
    'around the eye',
    'cheek',
    'ear',
    'vertex',
    'occiput',
    'throat',
  ]),
  muscle('splenius_capitis', 'Splenius capitis', 'neck', ['vertex']),
  muscle('scalenes', 'Scalenes', 'neck', [
    'upper chest',
    'front and back of the upper arm',
    'radial forearm',
    'thumb and index finger',
    'medial border of the scapula',
  ]),
  muscle('infraspinatus', 'Infraspinatus', 'shoulder', [
    'deep front of the shoulder',
    'front and lateral upper arm',
    'radial forearm',
    'medial border of the scapula',
  ]),
  muscle('supraspinatus', 'Supraspinatus', 'shoulder', [
    'mid-deltoid region',
    'lateral upper arm',
    'lateral epicondyle of the elbow',
  ]),
  muscle('rhomboids', 'Rhomboids', 'upper_back', [
    'medial border of the scapula',
    'supraspinous area',
  ]),
  muscle('pectoralis_minor', 'Pectoralis minor', 'chest', [
    'front of the shoulder',
    'pectoral region',
    'ulnar side of the arm and forearm',
    'ring and little fingers',
  ]),
  muscle('erector_spinae_lumbar', 'Erector spinae (lumbar)', 'lower_back', [
    'low back',
    'buttock',
    'sacroiliac region',
  ]),
  muscle('quadratus_lumborum', 'Quadratus lumborum', 'lower_back', [
    'sacroiliac region',
    'lower buttock',
    'iliac crest',
    'greater trochanter',
    'groin',
  ]),
  muscle('multifidus', 'Multifidus', 'lower_back', [
    'beside the spinous processes',
    'sacrum',
    'coccyx',
    'lower abdomen',
  ]),
  muscle('gluteus_medius', 'Gluteus medius', 'hip', [
    'posterior iliac crest',
    'sacroiliac region',
    'sacrum',
    'buttock',
    'upper posterolateral thigh',
  ]),
  muscle('gluteus_minimus', 'Gluteus minimus', 'hip', [
    'buttock',
    'lateral thigh and leg to the ankle ("pseudo-sciatica")',
    'posterior thigh and calf',
  ]),
  muscle('piriformis', 'Piriformis', 'hip', [
    'sacroiliac region',
    'buttock',
    'posterior hip',
    'posterior thigh',
  ]),
  muscle('tensor_fasciae_latae', 'Tensor fasciae latae', 'hip', [
    'anterolateral hip',
    'lateral thigh to the knee',
  ]),
  muscle('vastus_lateralis', 'Vastus lateralis', 'thigh', [
    'lateral thigh',
    'lateral knee',
    'greater trochanter',
  ]),
  muscle('gastrocnemius', 'Gastrocnemius', 'leg', [
    'instep of the foot',
    'back of the knee',
    'calf',
    'medial ankle',
  ]),
  muscle('soleus', 'Soleus', 'leg', [
    'heel',
    'sole of the foot',
    'calf',
    'Achilles tendon',
    'sacroiliac region',
  ]),
  muscle('tibialis_anterior', 'Tibialis anterior', 'leg', [
    'anterior shin',
    'anteromedial ankle',
    'dorsum of the foot',
    'big toe',
  ]),
] as const;

export type MuscleCode = (typeof MUSCLES)[number]['code'];
export const MUSCLE_CODES = MUSCLES.map((m) => m.code) as [MuscleCode, ...MuscleCode[]];
export const MuscleCode = z.enum(MUSCLE_CODES);

const BY_CODE: ReadonlyMap<string, Muscle> = new Map(MUSCLES.map((m) => [m.code, m]));

/** The catalogue entry of a validated code (a code from outside the catalogue is a programming error). */
export function muscleByCode(code: MuscleCode): Muscle & { code: MuscleCode } {
  const found = BY_CODE.get(code) as (Muscle & { code: MuscleCode }) | undefined;
  if (!found) throw new RangeError(`unknown muscle code: ${code}`);
  return found;
}
