import { z } from 'zod';
import { TimeZone } from './time-zone';
import {
  AvailabilityException,
  ClinicClosure,
  WeeklyAvailabilityRule,
} from './scheduling/availability.schemas';
import { EntityId, Instant, toEpochMs } from './scheduling/calendar.schemas';
import { text } from './text.schemas';

/**
 * REST contracts of availability: weekly rules, one-off exceptions and clinic closures. Fields
 * and rules are the slot engine's (`scheduling/availability.schemas`): its schemas are refined
 * objects, which zod will not `.omit`, so each body is rebuilt from the shape and gets the
 * engine's own checks back. Request bodies are strict: a misspelt field is a 400.
 */

const checksOf = (schema: { def: { checks?: unknown[] } }) =>
  (schema.def.checks ?? []) as z.core.$ZodCheck<unknown>[];

/** Longest exception or closure one request may write (a year of leave, a long refurbishment). */
export const MAX_AVAILABILITY_SPAN_DAYS = 366;
const withinMaxSpan = (r: { start?: string; end?: string }) =>
  r.start === undefined ||
  r.end === undefined ||
  toEpochMs(r.end) - toEpochMs(r.start) <= MAX_AVAILABILITY_SPAN_DAYS * 86_400_000;
const MAX_SPAN = {
  message: `may be at most ${MAX_AVAILABILITY_SPAN_DAYS} days after start`,
  path: ['end'],
};

/**
 * Optional echo of the zone the caller wrote local times or dates in: it must be a real IANA
 * zone and the clinic's own, so a client that thinks in another zone is refused, not obeyed.
 */
const ExpectedTimeZone = TimeZone.optional();

// ---- Weekly rules (local wall-clock time of the clinic)

const { practitionerId: _rulePractitioner, ...ruleFields } = WeeklyAvailabilityRule.shape;

export const AvailabilityRuleView = z.object({ id: EntityId, ...WeeklyAvailabilityRule.shape });
export type AvailabilityRuleView = z.infer<typeof AvailabilityRuleView>;

export const CreateAvailabilityRuleRequest = z
  .strictObject({
    ...ruleFields,
    effectiveTo: ruleFields.effectiveTo.default(null),
    timeZone: ExpectedTimeZone,
  })
  .check(...checksOf(WeeklyAvailabilityRule));
export type CreateAvailabilityRuleRequest = z.infer<typeof CreateAvailabilityRuleRequest>;

// ---- Exceptions (real instants)

const { practitionerId: _exceptionPractitioner, ...exceptionFields } = AvailabilityException.shape;
const Reason = text({ max: 200 });

export const AvailabilityExceptionView = z.object({
  id: EntityId,
  ...AvailabilityException.shape,
  /** Omitted: time off at every clinic. */
  clinicId: EntityId.optional(),
  reason: z.string().nullable(),
});
export type AvailabilityExceptionView = z.infer<typeof AvailabilityExceptionView>;

export const CreateAvailabilityExceptionRequest = z
  .strictObject({ ...exceptionFields, reason: Reason.optional() })
  .check(...checksOf(AvailabilityException))
  .refine(withinMaxSpan, MAX_SPAN);
export type CreateAvailabilityExceptionRequest = z.infer<typeof CreateAvailabilityExceptionRequest>;

/** `GET /practitioners/:id/availability`: rules and exceptions at one clinic, or at all the caller's. */
export const PractitionerAvailabilityQuery = z
  .strictObject({
    clinicId: EntityId.optional(),
    /** Exceptions that end after `from` / start before `to`; rules are always listed whole. */
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .refine(
    (q) => q.from === undefined || q.to === undefined || toEpochMs(q.from) < toEpochMs(q.to),
    {
      message: 'must be after from',
      path: ['to'],
    },
  );
export type PractitionerAvailabilityQuery = z.infer<typeof PractitionerAvailabilityQuery>;

export const PractitionerAvailability = z.object({
  practitionerId: EntityId,
  rules: z.array(AvailabilityRuleView),
  exceptions: z.array(AvailabilityExceptionView),
});
export type PractitionerAvailability = z.infer<typeof PractitionerAvailability>;

// ---- Clinic closures

const [closedDay, closedPeriod] = ClinicClosure.options;

/** Stored as instants: a closed local day becomes that day's start and end in the clinic's zone. */
export const ClinicClosureView = z.object({
  id: EntityId,
  clinicId: EntityId,
  start: Instant,
  end: Instant,
  reason: closedPeriod.shape.reason,
});
export type ClinicClosureView = z.infer<typeof ClinicClosureView>;

/**
 * A whole local day (`date`) or a period (`start` and `end`), never both. One object rather than
 * the domain's union so that a bad field is named in the 400 (a union only says "invalid input").
 */
export const CreateClinicClosureRequest = z
  .strictObject({
    date: closedDay.shape.date.optional(),
    start: closedPeriod.shape.start.optional(),
    end: closedPeriod.shape.end.optional(),
    reason: closedPeriod.shape.reason,
    timeZone: ExpectedTimeZone,
  })
  .superRefine((c, ctx) => {
    const period = c.start !== undefined || c.end !== undefined;
    if (c.date !== undefined && period) {
      ctx.addIssue({
        code: 'custom',
        path: ['date'],
        message: 'give either date or start and end, not both',
      });
    } else if (c.date === undefined && !period) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'give a date, or start and end' });
    } else if (period && c.start === undefined) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: 'is required with end' });
    } else if (period && c.end === undefined) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'is required with start' });
    } else if (
      c.start !== undefined &&
      c.end !== undefined &&
      toEpochMs(c.start) >= toEpochMs(c.end)
    ) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    }
  })
  .refine(withinMaxSpan, MAX_SPAN);
export type CreateClinicClosureRequest = z.infer<typeof CreateClinicClosureRequest>;

export const ClinicClosureQuery = z
  .strictObject({ from: Instant.optional(), to: Instant.optional() })
  .refine(
    (q) => q.from === undefined || q.to === undefined || toEpochMs(q.from) < toEpochMs(q.to),
    {
      message: 'must be after from',
      path: ['to'],
    },
  );
export type ClinicClosureQuery = z.infer<typeof ClinicClosureQuery>;
