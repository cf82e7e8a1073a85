import { Duration } from 'luxon';
import { z } from 'zod';
import { ReminderChannel } from '../patients.schemas';
import { WallClockTime } from '../scheduling/calendar.schemas';

/** Locales reminder templates exist for. */
export const REMINDER_LOCALES = ['en-GB', 'en-US'] as const;
export const ReminderLocale = z.enum(REMINDER_LOCALES);
export type ReminderLocale = z.infer<typeof ReminderLocale>;

/** The longest offset a policy may use: a reminder more than a month ahead helps nobody. */
export const MAX_REMINDER_OFFSET = 'P30D';
const MAX_OFFSET_MS = Duration.fromISO(MAX_REMINDER_OFFSET).toMillis();

/**
 * Why an ISO 8601 duration cannot be a reminder offset, or undefined when it can.
 * Allowed units are weeks, days, hours, minutes and seconds; years and months are refused
 * (their length depends on the calendar, so "≤ P30D" would be ambiguous). Every component
 * must be ≥ 0 and the whole strictly positive and at most P30D (a day counted as 24 h here;
 * the planner still applies days as calendar days in the clinic's zone).
 */
export function reminderOffsetProblem(offset: string): string | undefined {
  const duration = Duration.fromISO(offset);
  if (!duration.isValid) return 'must be an ISO 8601 duration such as P1D or PT2H';
  const parts = duration.toObject();
  if (parts.years || parts.months || parts.quarters)
    return 'must use weeks, days, hours or minutes, not months or years';
  if (Object.values(parts).some((v) => typeof v === 'number' && v < 0))
    return 'must not have negative parts';
  const ms = duration.toMillis();
  if (!(ms > 0)) return 'must be longer than zero';
  if (ms > MAX_OFFSET_MS) return `must be at most ${MAX_REMINDER_OFFSET}`;
  return undefined;
}

/** How long before the appointment a reminder is due: an ISO 8601 duration, `P1D`, `PT2H`. */
export const ReminderOffset = z.string().superRefine((offset, ctx) => {
  const problem = reminderOffsetProblem(offset);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export type ReminderOffset = z.infer<typeof ReminderOffset>;

/**
 * Quiet hours in the patient's zone, a half-open wall-clock window `[start, end)`: `start` is
 * quiet, `end` is allowed again. `start > end` wraps midnight (21:00–08:00). `start === end`
 * is refused (use `quietHours: null` for none).
 */
export const QuietHours = z
  .strictObject({ start: WallClockTime, end: WallClockTime })
  .refine((q) => q.start !== q.end, {
    message: 'start and end must differ (use null for no quiet hours)',
    path: ['end'],
  });
export type QuietHours = z.infer<typeof QuietHours>;

const unique = <T>(items: readonly T[]): boolean => new Set(items).size === items.length;

const policyFields = {
  /** Offsets before the appointment, each a calendar offset in the clinic's zone. */
  offsets: z
    .array(ReminderOffset)
    .min(1)
    .max(10)
    .refine(unique, { message: 'lists an offset twice' })
    .default(['P1D', 'PT2H']),
  /** Channels in the clinic's order of preference (the patient's own preference comes first). */
  channels: z
    .array(ReminderChannel)
    .min(1)
    .refine(unique, { message: 'lists a channel twice' })
    .default(['sms', 'email']),
  quietHours: QuietHours.nullable().default({ start: '21:00', end: '08:00' }),
  /** No reminder is planned closer than this to the appointment's start. */
  minimumLeadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(60),
  /** A reminder caused by a change (booked, rescheduled) is never due sooner than now + this. */
  changeGraceMinutes: z.number().int().min(0).max(60).default(2),
  locale: ReminderLocale.default('en-GB'),
  /** Patients may cancel through their link until this long before the start; after it they call. */
  lateCancelHours: z
    .number()
    .int()
    .min(0)
    .max(7 * 24)
    .default(24),
};

/** A policy as stored and applied (stored policies are read with this, so it stays lenient). */
export const ReminderPolicy = z.object(policyFields);
export type ReminderPolicy = z.infer<typeof ReminderPolicy>;

/**
 * Why a policy can never send anything, or undefined: every offset is shorter than its own cut-off,
 * so the planner skips each reminder as `within_cutoff` (`PT55M` with the default 60 minutes).
 */
export function reminderPolicyProblem(
  policy: Pick<ReminderPolicy, 'offsets' | 'minimumLeadMinutes'>,
): string | undefined {
  const cutoffMs = policy.minimumLeadMinutes * 60_000;
  const valid = policy.offsets.filter((o) => reminderOffsetProblem(o) === undefined);
  if (valid.length === 0 || valid.some((o) => Duration.fromISO(o).toMillis() >= cutoffMs))
    return undefined;
  return (
    `every offset is shorter than minimumLeadMinutes (${policy.minimumLeadMinutes}), so no reminder would ever be sent: ` +
    'use an offset of at least the cut-off, or lower minimumLeadMinutes'
  );
}

/** `PUT …/reminder-policy`: strict (a misspelt field is a 400), and a policy that can send. */
export const ReminderPolicyRequest = z.strictObject(policyFields).superRefine((policy, ctx) => {
  const problem = reminderPolicyProblem(policy);
  if (problem) ctx.addIssue({ code: 'custom', path: ['offsets'], message: problem });
});
export type ReminderPolicyInput = z.input<typeof ReminderPolicy>;

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze(
  ReminderPolicy.parse({}),
) as ReminderPolicy;
