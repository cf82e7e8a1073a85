import {
  formatReminderDateTime,
  REMINDER_LOCALES,
  zoneAbbreviation,
  type AppointmentStatus,
  type PatientAppointmentView,
  type PatientSlot,
  type ReminderLocale,
} from '@tautline/domain';
import { DateTime } from 'luxon';

/**
 * Words and times for the patient's page. Every time is shown on the clinic's wall clock (the
 * view's `timeZone`), never the browser's: a patient travelling, or a phone set to another zone,
 * still reads the time the clinic expects them.
 */

/** The status as a patient reads it. */
export const PATIENT_STATUS_WORDS: Record<AppointmentStatus, string> = {
  booked: 'Booked, not yet confirmed',
  confirmed: 'Confirmed',
  checked_in: 'Checked in',
  in_session: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'Missed',
};

/**
 * The locale the server formatted `localDateTime` in (the clinic's reminder locale), so every
 * other time on the page reads the same way as the reminder the patient got.
 */
export function viewLocale(
  view: Pick<PatientAppointmentView, 'start' | 'timeZone' | 'localDateTime'>,
): ReminderLocale {
  return (
    REMINDER_LOCALES.find((locale) => {
      try {
        return formatReminderDateTime(view.start, view.timeZone, locale) === view.localDateTime;
      } catch {
        return false;
      }
    }) ?? 'en-GB'
  );
}

/** "America/New_York" → "America/New York": the IANA name, readable. */
export function zoneName(timeZone: string): string {
  return timeZone.replace(/_/g, ' ');
}

/** An instant as the reminders write it, in the clinic's zone with the zone named: "Tue 3 Mar 2026, 09:00 GMT". */
export function clinicDateTime(instant: string, timeZone: string, locale: ReminderLocale): string {
  return formatReminderDateTime(instant, timeZone, locale);
}

/** True while the appointment is booked or confirmed and has not started: a link may act on it. */
export function isOpen(
  view: Pick<PatientAppointmentView, 'status' | 'start'>,
  now = Date.now(),
): boolean {
  return (view.status === 'booked' || view.status === 'confirmed') && now < Date.parse(view.start);
}

/** A tel: URI for a phone number as the clinic wrote it ("+44 20 7946 0000" → "tel:+442079460000"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

export interface SlotChoice {
  start: string;
  end: string;
  /** "09:30" (en-GB) or "9:30 AM" (en-US), on the clinic's wall clock. */
  time: string;
  /** The whole start, zone named, for the confirmation step and for screen readers. */
  label: string;
}

export interface SlotDay {
  /** The clinic-local date, "2026-03-10": the group's key. */
  date: string;
  /** "Tuesday 10 March" / "Tuesday, March 10". */
  heading: string;
  /** The zone's short name that day ("GMT", "BST", "EDT"); two when the day changes clock. */
  zone: string;
  slots: SlotChoice[];
}

const DAY_FORMAT: Record<ReminderLocale, string> = {
  'en-GB': 'cccc d LLLL',
  'en-US': 'cccc, LLLL d',
};
const TIME_FORMAT: Record<ReminderLocale, string> = { 'en-GB': 'HH:mm', 'en-US': 'h:mm a' };

/** The offered slots grouped by the clinic's local day, in time order. */
export function groupSlotsByClinicDay(
  slots: readonly PatientSlot[],
  timeZone: string,
  locale: ReminderLocale,
): SlotDay[] {
  const days = new Map<string, SlotDay & { zones: Set<string> }>();
  const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const slot of sorted) {
    const local = DateTime.fromISO(slot.start, { zone: timeZone }).setLocale(locale);
    if (!local.isValid) throw new RangeError(`cannot show ${slot.start} in ${timeZone}`);
    const date = local.toISODate() ?? slot.start.slice(0, 10);
    let day = days.get(date);
    if (!day) {
      day = {
        date,
        heading: local.toFormat(DAY_FORMAT[locale]),
        zone: '',
        zones: new Set(),
        slots: [],
      };
      days.set(date, day);
    }
    day.zones.add(zoneAbbreviation(local, locale));
    day.slots.push({
      start: slot.start,
      end: slot.end,
      time: local.toFormat(TIME_FORMAT[locale]),
      label: formatReminderDateTime(slot.start, timeZone, locale),
    });
  }
  return [...days.values()].map(({ zones, ...day }) => ({ ...day, zone: [...zones].join(' / ') }));
}
