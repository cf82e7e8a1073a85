import { z } from 'zod';

const positive = (fallback: number) => z.number().positive().default(fallback);

/** Each limit with its default. */
const thresholdFields = {
  /** The stimulator's own maximum output, whatever the plan says. */
  deviceMaxIntensityMa: positive(50),
  /** Below: the needles may be touching (a short). */
  impedanceMinOhm: positive(200),
  /** Above: lead off or poor contact. */
  impedanceMaxOhm: positive(10_000),
  /** A rise of more than this within `jumpWindowMs` startles the patient. */
  intensityJumpMa: positive(4),
  jumpWindowMs: positive(1000),
  /** Silence from a running session's device for longer than this is an alert. */
  offlineAfterMs: positive(5000),
  /** Running longer than planned + grace is an alert. */
  overrunGraceMinutes: z.number().min(0).default(2),
  /** Hysteresis: a condition must be absent this long before its alert resolves (no flapping). */
  clearAfterMs: z.number().min(0).default(2000),
  /** A critical alert nobody has acknowledged within this is escalated. */
  escalateAfterSeconds: positive(120),
  /** An acknowledged alert whose condition still holds this long sounds again (no silent forever). */
  realertAfterSeconds: z.number().min(30).default(180),
};

const impedanceWindow = (t: { impedanceMinOhm: number; impedanceMaxOhm: number }) =>
  t.impedanceMinOhm < t.impedanceMaxOhm;
const IMPEDANCE_WINDOW = { path: ['impedanceMaxOhm'], message: 'must be above impedanceMinOhm' };

/**
 * The limits the safety rules apply to every session. Defaults suit intramuscular e-stim
 * through filiform needles; a clinic may tighten them, never turn a rule off. Lenient on unknown
 * keys: stored thresholds are read with it (a row the worker cannot read falls back to the defaults).
 */
export const SafetyThresholds = z.object(thresholdFields).refine(impedanceWindow, IMPEDANCE_WINDOW);
export type SafetyThresholds = z.infer<typeof SafetyThresholds>;

/** `PUT …/safety-thresholds`: strict, so a misspelt limit is a 400 rather than silently left at its default. */
export const SafetyThresholdsRequest = z
  .strictObject(thresholdFields)
  .refine(impedanceWindow, IMPEDANCE_WINDOW);

export const DEFAULT_SAFETY_THRESHOLDS: SafetyThresholds = Object.freeze(
  SafetyThresholds.parse({}),
);
