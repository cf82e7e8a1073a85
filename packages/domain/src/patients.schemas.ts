import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { CalendarDate, EntityId, Instant } from './scheduling/calendar.schemas';
import {
  CONTRAINDICATIONS,
  CONTRAINDICATION_CODES,
  ContraindicationCode,
  Treatment,
} from './scheduling/screening.catalogue';
import {
  ConsentRecord,
  type PatientScreening,
  ScreeningResult,
} from './scheduling/screening.schemas';
import { screenPatient } from './scheduling/screening.rules';
import { countParam } from './params.schemas';
import { text } from './text.schemas';
import { TimeZone } from './time-zone';

/** REST contracts of patient records and their screening. Patient data is PHI: ids only in logs. */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EARLIEST_DATE = '1900-01-01';
/** UTC+14 is the earliest zone on earth: a date later than "today" there is the future everywhere. */
const MAX_UTC_OFFSET_MS = 14 * 60 * 60 * 1000;

/** The latest calendar date that is already "today" somewhere on earth at `nowMs`. */
export function latestDateOnEarth(nowMs: number = Date.now()): string {
  return new Date(nowMs + MAX_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** A calendar day between 1900-01-01 and today (anywhere): dates of birth, signatures. */
// Not `CalendarDate`: its 1900–2200 range would repeat the narrower checks here as a second issue.
export const PastDate = z.iso
  .date()
  .refine((d) => !ISO_DATE.test(d) || d >= EARLIEST_DATE, {
    message: `must be on or after ${EARLIEST_DATE}`,
  })
  .refine((d) => !ISO_DATE.test(d) || d <= latestDateOnEarth(), {
    message: 'cannot be in the future',
  });

/**
 * The E.164 form (`+447700900123`) of an international number, or undefined when it is not a
 * valid one. National forms (`07700 900123`) are refused: without a country they are ambiguous.
 */
export function toE164(input: string): string | undefined {
  const value = input.trim();
  if (!value.startsWith('+') || !isValidPhoneNumber(value)) return undefined;
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed || parsed.ext) return undefined;
  return parsed.number;
}

/** A phone number in E.164, validated with libphonenumber-js; spaces, dashes and brackets are dropped. */
export const Phone = z.string().transform((value, ctx) => {
  const e164 = toE164(value);
  if (e164 === undefined) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: value.trim().startsWith('+')
        ? 'is not a valid phone number'
        : 'must be an international number in E.164 form, starting with + and the country code',
    });
    return z.NEVER;
  }
  return e164;
});

export const Email = z.email({ message: 'must be an email address' }).max(254);
export const PersonName = text({ max: 100 });
export const REMINDER_CHANNELS = ['sms', 'email'] as const;
export const ReminderChannel = z.enum(REMINDER_CHANNELS);
export type ReminderChannel = z.infer<typeof ReminderChannel>;

interface Reachability {
  preferredChannel: ReminderChannel;
  phone?: string | null;
  email?: string | null;
}

/** The field missing for the chosen reminder channel (sms needs a phone, email an address), if any. */
export function unreachableChannel(
  p: Reachability,
): { field: 'phone' | 'email'; message: string } | undefined {
  if (p.preferredChannel === 'sms' && !p.phone)
    return { field: 'phone', message: 'is required when preferredChannel is sms' };
  if (p.preferredChannel === 'email' && !p.email) {
    return { field: 'email', message: 'is required when preferredChannel is email' };
  }
  return undefined;
}

const reachable = (p: Reachability, ctx: z.RefinementCtx): void => {
  const missing = unreachableChannel(p);
  if (missing) ctx.addIssue({ code: 'custom', path: [missing.field], message: missing.message });
};

export const CreatePatientRequest = z
  .strictObject({
    /** Home clinic: one of the caller's. */
    clinicId: EntityId,
    givenName: PersonName,
    familyName: PersonName,
    dateOfBirth: PastDate,
    phone: Phone.nullish(),
    email: Email.nullish(),
    preferredChannel: ReminderChannel,
    /** IANA zone for reminders; omitted, the home clinic's. */
    timeZone: TimeZone.optional(),
  })
  .superRefine(reachable);
export type CreatePatientRequest = z.infer<typeof CreatePatientRequest>;

/** Only the fields given change; `null` removes a phone or email (if the channel allows it). */
export const UpdatePatientRequest = z
  .strictObject({
    clinicId: EntityId,
    givenName: PersonName,
    familyName: PersonName,
    dateOfBirth: PastDate,
    phone: Phone.nullable(),
    email: Email.nullable(),
    preferredChannel: ReminderChannel,
    timeZone: TimeZone,
  })
  .partial()
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'give at least one field to change',
  });
export type UpdatePatientRequest = z.infer<typeof UpdatePatientRequest>;

export const PatientView = z.object({
  id: EntityId,
  clinicId: EntityId,
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: CalendarDate,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredChannel: ReminderChannel,
  timeZone: z.string(),
  createdAt: Instant,
});
export type PatientView = z.infer<typeof PatientView>;

export const ConsentView = ConsentRecord.extend({ id: EntityId });
export type ConsentView = z.infer<typeof ConsentView>;

export const ContraindicationView = z.object({
  code: ContraindicationCode,
  label: z.string(),
  notedOn: CalendarDate,
  note: z.string().nullable(),
});
export type ContraindicationView = z.infer<typeof ContraindicationView>;

/** `screenPatient` for a plain dry-needling type and for an e-stim type, on the clinic's today. */
export const ScreeningSummary = z.object({
  asOf: CalendarDate,
  dry_needling: ScreeningResult,
  estim: ScreeningResult,
});
export type ScreeningSummary = z.infer<typeof ScreeningSummary>;

export const PatientScreeningView = z.object({
  consents: z.array(ConsentView),
  contraindications: z.array(ContraindicationView),
  summary: ScreeningSummary,
});
export type PatientScreeningView = z.infer<typeof PatientScreeningView>;

export const PatientDetail = PatientView.extend({ screening: PatientScreeningView });
export type PatientDetail = z.infer<typeof PatientDetail>;

export const PATIENT_PAGE_MAX = 50;

export const PatientSearchQuery = z.strictObject({
  clinicId: EntityId.optional(),
  /** A name prefix (`gar`, `ana gar`) or phone digits (`+4477`, `07700 900`). */
  q: text({ max: 100 }).optional(),
  /** These patients only (a calendar naming the patients on its cards, in one read; body only). */
  ids: z.array(EntityId).min(1).max(PATIENT_PAGE_MAX).optional(),
  limit: countParam({ min: 1, max: PATIENT_PAGE_MAX }).default(20),
  offset: countParam({ min: 0, max: 10_000 }).default(0),
});
export type PatientSearchQuery = z.infer<typeof PatientSearchQuery>;

/** The same search as a JSON body: numbers are numbers there, never digit strings. */
export const PatientSearchBody = PatientSearchQuery.extend({
  limit: z.number().int().min(1).max(PATIENT_PAGE_MAX).default(20),
  offset: z.number().int().min(0).max(10_000).default(0),
});

export const PatientPage = z.object({
  items: z.array(PatientView),
  limit: z.number().int(),
  offset: z.number().int(),
  /** The offset of the next page; null on the last one. */
  nextOffset: z.number().int().nullable(),
});
export type PatientPage = z.infer<typeof PatientPage>;

/** How a search term is read: phone digits when it has only phone characters, else name prefixes. */
export type PatientSearchTerm =
  | { by: 'phone'; digits: string; international: boolean }
  | { by: 'name'; prefixes: string[] };

export function parsePatientSearch(q: string): PatientSearchTerm {
  const term = q.trim();
  const digits = term.replace(/\D/g, '');
  if (/^\+?[\d\s().-]+$/.test(term) && digits.length > 0) {
    const international = term.startsWith('+');
    // A national form drops its trunk prefix: 07700 900123 is found inside +447700900123.
    return {
      by: 'phone',
      digits: international ? digits : digits.replace(/^0+/, '') || digits,
      international,
    };
  }
  return { by: 'name', prefixes: term.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 3) };
}

export const RecordConsentRequest = z.strictObject({
  kind: Treatment,
  signedOn: PastDate,
  version: ConsentRecord.shape.version,
});
export type RecordConsentRequest = z.infer<typeof RecordConsentRequest>;

/** Replaces the patient's contraindications with this list (an empty list clears them). */
export const SetContraindicationsRequest = z.strictObject({
  contraindications: z
    .array(
      z.strictObject({
        code: ContraindicationCode,
        note: text({ min: 0, max: 2000, multiline: true }).nullish(),
      }),
    )
    .max(CONTRAINDICATION_CODES.length)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.code))
          ctx.addIssue({ code: 'custom', path: [i, 'code'], message: 'is listed twice' });
        seen.add(item.code);
      });
    }),
});
export type SetContraindicationsRequest = z.infer<typeof SetContraindicationsRequest>;

export function contraindicationLabel(code: ContraindicationCode): string {
  return CONTRAINDICATIONS[code].label;
}

/** Representative appointment types for the summary: needling alone, and needling with e-stim. */
export const SUMMARY_TYPES = {
  dry_needling: { requiresDryNeedlingCert: true, usesEstim: false },
  estim: { requiresDryNeedlingCert: true, usesEstim: true },
} as const;

/** What the screening allows today, per treatment, with no practitioner override. */
export function screeningSummary(screening: PatientScreening, onDate: string): ScreeningSummary {
  const withoutOverride = { ...screening, override: undefined };
  return {
    asOf: onDate,
    dry_needling: screenPatient(withoutOverride, SUMMARY_TYPES.dry_needling, onDate),
    estim: screenPatient(withoutOverride, SUMMARY_TYPES.estim, onDate),
  };
}
