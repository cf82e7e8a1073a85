import { z } from 'zod';
import { AppointmentStatus } from '../scheduling/appointment.state-machine';
import { EntityId, Instant } from '../scheduling/calendar.schemas';
import { MAX_SLOT_SEARCH_DAYS } from '../scheduling/slot-search.schemas';
import { text } from '../text.schemas';
import { type ReminderLocale } from './reminder-policy.schemas';
import { formatReminderDateTime } from './reminder-templates';

/**
 * Patient self-service through a signed reminder link (`/p/<token>`): what the patient sees and
 * may send. The view is deliberately small — a forwarded link or a shared screen must not tell
 * anyone the treatment, the practitioner, the screening or any clinical note.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Slot searches from a link cover this many days unless the patient asks for another window. */
export const PATIENT_SLOT_DEFAULT_DAYS = 14;
/** The reason stored when the patient cancels without giving one. */
export const PATIENT_CANCEL_REASON = 'Cancelled by the patient';

/** Generic preparation advice: no diagnosis, nothing that names the treatment. */
export const PRE_VISIT_ADVICE: readonly string[] = Object.freeze([
  'Eat a light meal one to two hours before your appointment; coming on an empty stomach can make you feel light-headed.',
  'Wear loose, comfortable clothing that lets your clinician reach the area being treated (for example shorts or a vest top).',
  'Drink some water before your visit and afterwards.',
  'Tell your clinician before treatment if you have started any new medication (especially blood thinners), if you are or might be pregnant, or if anything about your health has changed since your last visit.',
  'Avoid alcohol on the day of your appointment.',
  'Please arrive a few minutes early. If you feel unwell on the day, call the clinic.',
]);

export const PatientAppointmentView = z.object({
  appointmentId: EntityId,
  status: AppointmentStatus,
  start: Instant,
  end: Instant,
  /** The clinic's IANA zone: times are shown on its wall clock. */
  timeZone: z.string(),
  /** "Tue 3 Mar 2026, 09:00 GMT" in the clinic's zone and reminder locale. */
  localDateTime: z.string(),
  clinic: z.object({ name: z.string(), phone: z.string().nullable() }),
  patientFirstName: z.string(),
  /** Send it back with a reschedule: a stale one is refused with 409. */
  version: z.number().int(),
  canConfirm: z.boolean(),
  canCancel: z.boolean(),
  /** Until when the link may cancel or move the appointment; after it the patient calls the clinic. */
  cancelCutoff: Instant,
  canReschedule: z.boolean(),
  /** The patient asked for another time (SMS reply R) and the clinic has not moved it yet. */
  rescheduleRequested: z.boolean(),
  preVisitAdvice: z.array(z.string()),
});
export type PatientAppointmentView = z.infer<typeof PatientAppointmentView>;

export const PatientCancelRequest = z.strictObject({
  reason: text({ max: 500 }).default(PATIENT_CANCEL_REASON),
});
export type PatientCancelRequest = z.infer<typeof PatientCancelRequest>;

/** The patient picks a start from the offered slots; practitioner, room and type stay the clinic's. */
export const PatientRescheduleRequest = z.strictObject({
  start: Instant,
  /** The version the patient's page showed. */
  version: z.number().int().min(1),
});
export type PatientRescheduleRequest = z.infer<typeof PatientRescheduleRequest>;

/** Both optional: from defaults to now, to to from + 14 days; at most 31 days. */
export const PatientSlotQuery = z
  .strictObject({ from: Instant.optional(), to: Instant.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  });
export type PatientSlotQuery = z.infer<typeof PatientSlotQuery>;

export const PatientSlot = z.object({ start: Instant, end: Instant });
export type PatientSlot = z.infer<typeof PatientSlot>;

/** A link's slot list holds at most this many times; `nextFrom` continues (with the same `to`). */
export const PATIENT_SLOT_PAGE_MAX = 100;

export const PatientSlotList = z.object({
  timeZone: z.string(),
  slots: z.array(PatientSlot),
  /** More times follow in the window: ask again with `from` set to this. Null when this is all. */
  nextFrom: Instant.nullable().default(null),
});
export type PatientSlotList = z.infer<typeof PatientSlotList>;

/** The last moment a link may cancel (or move) an appointment: `lateCancelHours` before its start. */
export function patientCancelCutoff(start: string, lateCancelHours: number): string {
  return new Date(Date.parse(start) - lateCancelHours * HOUR_MS).toISOString();
}

/** True while the cut-off has not been reached (the cut-off instant itself is already too late). */
export function canPatientCancel(start: string, now: string, lateCancelHours: number): boolean {
  return Date.parse(now) < Date.parse(patientCancelCutoff(start, lateCancelHours));
}

/** Booked or confirmed, and not yet started: the only appointments a link can act on. */
export function isOpenForPatient(status: AppointmentStatus, start: string, now: string): boolean {
  return (status === 'booked' || status === 'confirmed') && Date.parse(now) < Date.parse(start);
}

export interface PatientActions {
  canConfirm: boolean;
  canCancel: boolean;
  canReschedule: boolean;
  cancelCutoff: string;
}

/**
 * What the link may do now. Confirming is possible until the start; cancelling and moving only
 * before the cut-off (a late move frees the time as late as a cancellation would).
 */
export function patientActions(input: {
  status: AppointmentStatus;
  start: string;
  now: string;
  lateCancelHours: number;
}): PatientActions {
  const open = isOpenForPatient(input.status, input.start, input.now);
  const beforeCutoff = canPatientCancel(input.start, input.now, input.lateCancelHours);
  return {
    canConfirm: open && input.status === 'booked',
    canCancel: open && beforeCutoff,
    canReschedule: open && beforeCutoff,
    cancelCutoff: patientCancelCutoff(input.start, input.lateCancelHours),
  };
}

export interface PatientViewInput {
  appointment: {
    id: string;
    status: AppointmentStatus;
    start: string;
    end: string;
    version: number;
    rescheduleRequestedAt: string | null;
  };
  clinic: { name: string; phone: string | null; timeZone: string };
  patientFirstName: string;
  policy: { lateCancelHours: number; locale: ReminderLocale };
  now: string;
}

/** The whole page from the appointment, its clinic and policy; only the fields listed in the view. */
export function patientAppointmentView(input: PatientViewInput): PatientAppointmentView {
  const { appointment: a, clinic, policy } = input;
  return {
    appointmentId: a.id,
    status: a.status,
    start: a.start,
    end: a.end,
    timeZone: clinic.timeZone,
    localDateTime: formatReminderDateTime(a.start, clinic.timeZone, policy.locale),
    clinic: { name: clinic.name, phone: clinic.phone },
    patientFirstName: input.patientFirstName,
    version: a.version,
    ...patientActions({
      status: a.status,
      start: a.start,
      now: input.now,
      lateCancelHours: policy.lateCancelHours,
    }),
    rescheduleRequested: a.rescheduleRequestedAt !== null,
    preVisitAdvice: [...PRE_VISIT_ADVICE],
  };
}

export type PatientSlotWindow =
  | { ok: true; from: string; to: string }
  | { ok: false; field: 'query.from' | 'query.to'; message: string };

/**
 * The search window of a link's slot list: from defaults to now (and a past from starts now), to
 * to from + 14 days; the window must be non-empty and at most 31 days.
 */
export function patientSlotWindow(query: PatientSlotQuery, now: string): PatientSlotWindow {
  const nowMs = Date.parse(now);
  const from = Math.max(query.from ? Date.parse(query.from) : nowMs, nowMs);
  const to = query.to ? Date.parse(query.to) : from + PATIENT_SLOT_DEFAULT_DAYS * DAY_MS;
  if (to <= from)
    return { ok: false, field: 'query.to', message: 'must be in the future and after from' };
  if (to - from > MAX_SLOT_SEARCH_DAYS * DAY_MS)
    return {
      ok: false,
      field: 'query.to',
      message: `the search may span at most ${MAX_SLOT_SEARCH_DAYS} days`,
    };
  return { ok: true, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The sentence a patient reads when the link can no longer do something: call the clinic. */
export function callTheClinic(phone: string | null): string {
  return phone ? `Please call the clinic on ${phone}.` : 'Please call the clinic.';
}
