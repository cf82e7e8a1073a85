import {
  MUSCLE_REGIONS,
  MUSCLES,
  StartSessionRequest,
  type BodySide,
  type MuscleCode,
  type MuscleRegion,
  type Waveform,
} from '@tautline/domain';
import { type z } from 'zod';

/** One channel row as typed: numbers stay strings until validation, so a half-typed value is kept. */
export interface ChannelDraft {
  /** Stable React key, not the channel number. */
  key: number;
  channel: string;
  muscle: MuscleCode | '';
  side: BodySide;
  waveform: Waveform;
  frequencyHz: string;
  pulseWidthUs: string;
  intensityCeilingMa: string;
}

export interface PlanDraft {
  channels: ChannelDraft[];
  plannedDurationMinutes: string;
}

/** Usual intramuscular e-stim settings; the clinician adjusts them per channel. */
export function newChannel(key: number, channel: number): ChannelDraft {
  return {
    key,
    channel: String(channel),
    muscle: '',
    side: 'right',
    waveform: 'biphasic_symmetric',
    frequencyHz: '4',
    pulseWidthUs: '250',
    intensityCeilingMa: '12',
  };
}

/** The lowest channel number not planned yet (1-based), or null when the stimulator is full. */
export function nextFreeChannel(channels: readonly ChannelDraft[], max: number): number | null {
  const used = new Set(channels.map((c) => Number(c.channel)));
  for (let n = 1; n <= max; n++) if (!used.has(n)) return n;
  return null;
}

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s.trim()));

/** What would be posted; not yet validated. */
export function toRequest(appointmentId: string, draft: PlanDraft): unknown {
  return {
    appointmentId,
    plan: {
      plannedDurationMinutes: num(draft.plannedDurationMinutes),
      channels: draft.channels.map((c) => ({
        channel: num(c.channel),
        muscle: c.muscle === '' ? undefined : c.muscle,
        side: c.side,
        waveform: c.waveform,
        frequencyHz: num(c.frequencyHz),
        pulseWidthUs: num(c.pulseWidthUs),
        intensityCeilingMa: num(c.intensityCeilingMa),
      })),
    },
  };
}

/** Field errors keyed by path, e.g. `plan.channels.0.muscle`, `plan.plannedDurationMinutes`. */
export type PlanErrors = Record<string, string>;

function words(issue: z.core.$ZodIssue): string {
  const last = issue.path[issue.path.length - 1];
  if (last === 'muscle') return 'choose a muscle';
  if (issue.code === 'invalid_type') return 'enter a number';
  return issue.message;
}

/** Validates with the domain's create-session schema: the request, or every field's error. */
export function validatePlan(
  appointmentId: string,
  draft: PlanDraft,
): { ok: true; request: StartSessionRequest } | { ok: false; errors: PlanErrors } {
  const parsed = StartSessionRequest.safeParse(toRequest(appointmentId, draft));
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors: PlanErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join('.');
    errors[key] ??= words(issue);
  }
  return { ok: false, errors };
}

/** The API's field errors (`body.plan.channels.0.intensityCeilingMa`) keyed as the form's. */
export function serverFieldErrors(
  errors: readonly { field: string; message: string }[],
): PlanErrors {
  const out: PlanErrors = {};
  for (const e of errors) out[e.field.replace(/^body\./, '')] ??= e.message;
  return out;
}

export const REGION_WORDS: Record<MuscleRegion, string> = {
  neck: 'Neck',
  shoulder: 'Shoulder',
  upper_back: 'Upper back',
  chest: 'Chest',
  lower_back: 'Lower back',
  hip: 'Hip',
  thigh: 'Thigh',
  leg: 'Leg',
};

/** The catalogue grouped by region, in the catalogue's order. */
export const MUSCLES_BY_REGION = MUSCLE_REGIONS.map((region) => ({
  region,
  muscles: MUSCLES.filter((m) => m.region === region),
})).filter((g) => g.muscles.length > 0);

export const WAVEFORM_CHOICES: Record<Waveform, string> = {
  biphasic_symmetric: 'Biphasic, symmetric',
  biphasic_asymmetric: 'Biphasic, asymmetric',
  monophasic: 'Monophasic',
  burst: 'Burst',
};
