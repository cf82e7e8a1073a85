import {
  type ChannelPlan,
  MUSCLES,
  type MuscleRegion,
  SessionPlan,
  type Waveform,
} from '@tautline/domain';
import { between, pick, type Random, shuffled, wholeBetween } from './random';

/**
 * Treatment areas a clinician needles in one visit: neighbouring regions, so a plan reads like a
 * real one (upper trapezius with levator scapulae, gluteus medius with piriformis).
 */
const TREATMENT_AREAS: readonly (readonly MuscleRegion[])[] = [
  ['neck', 'shoulder'],
  ['neck', 'upper_back'],
  ['shoulder', 'upper_back', 'chest'],
  ['lower_back', 'hip'],
  ['hip', 'thigh'],
  ['thigh', 'leg'],
];
/** Intramuscular stimulation is mostly low-frequency; now and then a higher one for pain modulation. */
const FREQUENCIES_HZ = [2, 2, 2, 4, 4, 10, 80];
const PULSE_WIDTHS_US = [200, 250, 250, 300];
const WAVEFORMS: readonly Waveform[] = [
  'biphasic_symmetric',
  'biphasic_symmetric',
  'biphasic_symmetric',
  'biphasic_asymmetric',
  'burst',
];
/** How many channels a session uses: 1 (15 %), 2 (40 %), 3 (25 %), 4 (20 %). */
const CHANNEL_COUNTS = [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4];

/** The stimulators the simulator registers have four output channels. */
export const SIMULATED_DEVICE_CHANNELS = 4;
/** A visit's stimulation time when nothing else decides it, in minutes. */
export const PLANNED_MINUTES = { min: 20, max: 35 } as const;

/** A realistic e-stim plan: 1–4 channels over one treatment area, ceilings 8–20 mA. */
export function simulatedPlan(rnd: Random, plannedDurationMinutes: number): SessionPlan {
  const area = pick(rnd, TREATMENT_AREAS);
  const muscles = shuffled(
    rnd,
    MUSCLES.filter((m) => area.includes(m.region)).map((m) => m.code),
  );
  const count = Math.min(pick(rnd, CHANNEL_COUNTS), muscles.length, SIMULATED_DEVICE_CHANNELS);
  const side = rnd() < 0.5 ? 'left' : 'right';
  const waveform = pick(rnd, WAVEFORMS);
  const frequencyHz = pick(rnd, FREQUENCIES_HZ);
  const pulseWidthUs = pick(rnd, PULSE_WIDTHS_US);
  const channels: ChannelPlan[] = muscles.slice(0, count).map((muscle, i) => ({
    channel: i + 1,
    muscle,
    // Spinal muscles are often needled at the midline.
    side: muscle === 'multifidus' && rnd() < 0.5 ? 'midline' : side,
    waveform,
    frequencyHz,
    pulseWidthUs,
    intensityCeilingMa: Math.round(between(rnd, 8, 20) * 2) / 2,
  }));
  return SessionPlan.parse({ channels, plannedDurationMinutes });
}

/** Planned minutes of an ordinary visit. */
export function plannedMinutes(rnd: Random): number {
  return wholeBetween(rnd, PLANNED_MINUTES.min, PLANNED_MINUTES.max);
}

/** For `--keys` devices of unknown plan: channel 1 only, as long as a session may be planned. */
export const FALLBACK_PLAN: SessionPlan = {
  plannedDurationMinutes: 90,
  channels: [
    {
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 2,
      pulseWidthUs: 250,
      intensityCeilingMa: 12,
    },
  ],
};
