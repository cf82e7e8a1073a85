import { type AppointmentStatus } from '@tautline/domain';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/** One appointment as the feed shows it: what a phone's calendar needs, nothing more. */
export interface FeedAppointment {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  version: number;
  typeName: string;
  patientGivenName: string;
  patientFamilyName: string;
  clinicName: string;
  roomName: string;
  createdAt: Date;
  updatedAt: Date;
}

/** How often subscribed clients should poll (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
const REFRESH_SECONDS = 15 * 60;

/** "Olivia", "Marsh" → "O.M." (first character of each name, upper-cased). */
export function initials(given: string, family: string): string {
  const first = (name: string) => (Array.from(name.trim())[0] ?? '').toLocaleUpperCase('en-GB');
  return [given, family]
    .map(first)
    .filter(Boolean)
    .map((c) => `${c}.`)
    .join('');
}

/**
 * Minimum necessary: a subscribed phone calendar is not a secure place, so an event carries the
 * appointment type, the patient's initials, the clinic and room, and the times in UTC. Never a
 * full name, phone, email, date of birth or note.
 */
export function renderPractitionerFeed(
  practitionerName: string,
  appointments: readonly FeedAppointment[],
): string {
  const calendar = ical({
    name: `${practitionerName} — Tautline`,
    prodId: { company: 'Tautline', product: 'Practitioner calendar feed', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
  });
  for (const a of appointments) {
    calendar.createEvent({
      id: `${a.id}@tautline`,
      sequence: a.version,
      start: a.startsAt,
      end: a.endsAt,
      stamp: a.updatedAt,
      created: a.createdAt,
      lastModified: a.updatedAt,
      summary: `${a.typeName} — ${initials(a.patientGivenName, a.patientFamilyName)}`,
      location: `${a.clinicName}, ${a.roomName}`,
      status: a.status === 'booked' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
