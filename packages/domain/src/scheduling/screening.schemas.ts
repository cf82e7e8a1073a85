import { z } from 'zod';
import { printable, text } from '../text.schemas';
import { CalendarDate, EntityId } from './calendar.schemas';
import { ContraindicationCode, ContraindicationSeverity, Treatment } from './screening.catalogue';

/** Informed consent for one treatment, as signed on paper or on screen. */
export const ConsentRecord = z.object({
  kind: Treatment,
  signedOn: CalendarDate,
  version: text({ max: 40 }),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** A practitioner accepting relative contraindications; the reason is kept with the booking. */
export const ScreeningOverride = z.object({
  // Control characters are checked before trimming, which would silently drop a trailing \v.
  reason: printable(z.string(), { multiline: true })
    .trim()
    .min(1, { message: 'an override needs a written reason' })
    .max(2000),
  practitionerId: EntityId,
});
export type ScreeningOverride = z.infer<typeof ScreeningOverride>;

export const PatientScreening = z.object({
  consents: z.array(ConsentRecord),
  contraindications: z.array(ContraindicationCode),
  override: ScreeningOverride.optional(),
});
export type PatientScreening = z.infer<typeof PatientScreening>;

export const SCREENING_BLOCK_CODES = ['consent_missing', ...ContraindicationCode.options] as const;

/** One reason the patient may not have this treatment. */
export const ScreeningBlock = z.object({
  code: z.enum(SCREENING_BLOCK_CODES),
  label: z.string(),
  severity: ContraindicationSeverity.exclude(['none']),
  treatment: Treatment,
});
export type ScreeningBlock = z.infer<typeof ScreeningBlock>;

/** A relative contraindication a practitioner accepted; to be recorded with the appointment. */
export const ScreeningWarning = z.object({
  code: z.literal('relative_contraindication_overridden'),
  contraindication: ContraindicationCode,
  treatment: Treatment,
  reason: z.string(),
  practitionerId: EntityId,
});
export type ScreeningWarning = z.infer<typeof ScreeningWarning>;

export const ScreeningResult = z.object({
  allowed: z.boolean(),
  /** What stops the booking now; empty when allowed. */
  blocks: z.array(ScreeningBlock),
  /** True when every block is relative: an override with a written reason would allow it. */
  needsOverride: z.boolean(),
  warnings: z.array(ScreeningWarning),
});
export type ScreeningResult = z.infer<typeof ScreeningResult>;
