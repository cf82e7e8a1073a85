import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import { ReminderChannel } from '../patients.schemas';
import { Instant, minutesOfDay } from '../scheduling/calendar.schemas';
import { isIanaTimeZone } from '../time-zone';
import { type QuietHours, type ReminderPolicy } from './reminder-policy.schemas';

/**
 * The reminder planner: appointment + policy + patient preferences + now → one planned or
 * skipped reminder per policy offset. Pure; the outbox writes what it returns.
 *
 * Steps for each offset, in this order:
 * 1. `opted_out` / `no_channel` when the patient cannot be messaged at all.
 * 2. Nominal time: the appointment's start read in the **clinic's** zone minus the offset
 *    (Luxon calendar maths: `P1D` keeps the wall-clock time across a DST change, `PT2H` is
 *    two real hours).
 * 3. Quiet hours, read in the **patient's** zone as `[start, end)`: a time inside them moves
 *    back to the last allowed minute before that quiet period began, i.e. `start − 1 min`
 *    (20:59 for 21:00–08:00; a 06:00 reminder moves to 20:59 the evening before).
 * 4. Change grace (only when `cause` is given): a time in `[now, now + grace)` is pushed to
 *    `now + grace`; if that lands in quiet hours it is skipped `in_past` (its last allowed
 *    moment is already gone).
 * 5. Skips: before `now` → `in_past`; at or after the start → `after_appointment`; less than
 *    `minimumLeadMinutes` before the start → `within_cutoff`.
 * 6. Planned reminders on the same instant as an earlier one (policy order) → `duplicate`.
 */

export const REMINDER_SKIP_REASONS = [
  'in_past',
  'after_appointment',
  'within_cutoff',
  'opted_out',
  'no_channel',
  'duplicate',
] as const;
export const ReminderSkipReason = z.enum(REMINDER_SKIP_REASONS);
export type ReminderSkipReason = z.infer<typeof ReminderSkipReason>;

export const REMINDER_CAUSES = ['booked', 'rescheduled'] as const;
export const ReminderCause = z.enum(REMINDER_CAUSES);
export type ReminderCause = z.infer<typeof ReminderCause>;

export const PlannedReminder = z.object({
  offset: z.string(),
  /** The channel it goes out on; null when no channel could be chosen (opted out, none reachable). */
  channel: ReminderChannel.nullable(),
  /** The calendar offset applied to the start, before quiet hours and grace (ISO UTC). */
  nominalAt: Instant,
  /** When to send (ISO UTC); null when skipped. */
  dueAt: Instant.nullable(),
  status: z.enum(['planned', 'skipped']),
  skipReason: ReminderSkipReason.optional(),
  movedForQuietHours: z.boolean(),
  delayedForChangeGrace: z.boolean(),
});
export type PlannedReminder = z.infer<typeof PlannedReminder>;

export interface ReminderPatient {
  /** IANA zone quiet hours are read in. */
  timeZone: string;
  /** Channels the patient can be reached on (sms needs a phone, email an address). */
  availableChannels: readonly ReminderChannel[];
  /** The patient's own choice; used first when available and allowed by the policy. */
  preferredChannel?: ReminderChannel | null;
  optedOut: boolean;
}

export interface PlanRemindersInput {
  appointment: { id: string; start: string; clinicTimeZone: string };
  policy: ReminderPolicy;
  patient: ReminderPatient;
  /** The instant of planning (ISO). */
  now: string;
  /** Set when a change causes the plan: reminders then wait at least the change grace. */
  cause?: ReminderCause;
}

const MINUTE_MS = 60_000;

/** The patient's preferred channel if reachable and allowed, else the policy's first reachable one. */
export function chooseReminderChannel(
  policyChannels: readonly ReminderChannel[],
  patient: Pick<ReminderPatient, 'availableChannels' | 'preferredChannel'>,
): ReminderChannel | null {
  const reachable = (c: ReminderChannel) =>
    patient.availableChannels.includes(c) && policyChannels.includes(c);
  if (patient.preferredChannel && reachable(patient.preferredChannel))
    return patient.preferredChannel;
  return policyChannels.find(reachable) ?? null;
}

/** Whether a local time of day (minutes after midnight) falls in quiet hours `[start, end)`. */
export function isQuietMinute(minuteOfDay: number, quiet: QuietHours): boolean {
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  return start < end
    ? minuteOfDay >= start && minuteOfDay < end
    : minuteOfDay >= start || minuteOfDay < end;
}

function localMinute(at: DateTime): number {
  return at.hour * 60 + at.minute;
}

/**
 * The instant a reminder due at `at` may go out given quiet hours in `zone`: `at` itself when
 * allowed, else one minute before the quiet period containing it began (in the patient's zone).
 */
export function beforeQuietHours(
  at: DateTime,
  zone: string,
  quiet: QuietHours | null,
): { at: DateTime; moved: boolean } {
  if (!quiet) return { at, moved: false };
  const local = at.setZone(zone);
  const minute = localMinute(local);
  if (!isQuietMinute(minute, quiet)) return { at, moved: false };
  const start = minutesOfDay(quiet.start);
  // In the early-morning part of a window that wraps midnight, the quiet period began yesterday.
  const day = minute < start ? local.minus({ days: 1 }) : local;
  const quietStart = day.set({
    hour: Math.floor(start / 60),
    minute: start % 60,
    second: 0,
    millisecond: 0,
  });
  return { at: quietStart.minus({ minutes: 1 }).toUTC(), moved: true };
}

function parseInstant(iso: string, what: string): DateTime {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) throw new RangeError(`${what} is not an ISO instant: ${iso}`);
  return at;
}

function assertZone(zone: string, what: string): void {
  if (!isIanaTimeZone(zone)) throw new RangeError(`${what} is not an IANA time zone: ${zone}`);
}

const iso = (at: DateTime): string => at.toUTC().toISO({ suppressMilliseconds: false }) ?? '';

/** Plans one reminder per policy offset, in policy order. Throws RangeError on malformed input. */
export function planReminders(input: PlanRemindersInput): PlannedReminder[] {
  const { appointment, policy, patient, cause } = input;
  assertZone(appointment.clinicTimeZone, 'appointment.clinicTimeZone');
  assertZone(patient.timeZone, 'patient.timeZone');
  const start = parseInstant(appointment.start, 'appointment.start').setZone(
    appointment.clinicTimeZone,
  );
  const now = parseInstant(input.now, 'now').toUTC();
  const startMs = start.toMillis();
  const nowMs = now.toMillis();
  const channel = patient.optedOut ? null : chooseReminderChannel(policy.channels, patient);
  const plannedAt = new Set<number>();

  return policy.offsets.map((offset): PlannedReminder => {
    const duration = Duration.fromISO(offset);
    if (!duration.isValid)
      throw new RangeError(`policy offset is not an ISO 8601 duration: ${offset}`);
    const nominal = start.minus(duration);
    const base = {
      offset,
      channel,
      nominalAt: iso(nominal),
      movedForQuietHours: false,
      delayedForChangeGrace: false,
    };
    const skip = (
      skipReason: ReminderSkipReason,
      extra: Partial<PlannedReminder> = {},
    ): PlannedReminder => ({
      ...base,
      ...extra,
      dueAt: null,
      status: 'skipped',
      skipReason,
    });

    if (patient.optedOut) return skip('opted_out');
    if (!channel) return skip('no_channel');

    const quiet = beforeQuietHours(nominal, patient.timeZone, policy.quietHours);
    let due = quiet.at;
    const flags = { movedForQuietHours: quiet.moved, delayedForChangeGrace: false };
    if (due.toMillis() < nowMs) return skip('in_past', flags);

    if (cause) {
      const earliest = now.plus({ minutes: policy.changeGraceMinutes });
      if (due.toMillis() < earliest.toMillis()) {
        due = earliest;
        flags.delayedForChangeGrace = true;
        if (beforeQuietHours(due, patient.timeZone, policy.quietHours).moved)
          return skip('in_past', flags);
      }
    }

    const dueMs = due.toMillis();
    if (dueMs >= startMs) return skip('after_appointment', flags);
    if (startMs - dueMs < policy.minimumLeadMinutes * MINUTE_MS)
      return skip('within_cutoff', flags);
    if (plannedAt.has(dueMs)) return skip('duplicate', flags);
    plannedAt.add(dueMs);
    return { ...base, ...flags, dueAt: iso(due), status: 'planned' };
  });
}
