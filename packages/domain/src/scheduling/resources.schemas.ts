import { z } from 'zod';
import { text } from '../text.schemas';
import { CalendarDate, EntityId } from './calendar.schemas';

/** What a booking of this kind needs; the slot engine reads nothing else from it. */
export const AppointmentType = z
  .object({
    id: EntityId,
    name: text({ max: 120 }),
    durationMinutes: z.number().int().min(5).max(480),
    bufferBeforeMinutes: z.number().int().min(0).max(120),
    bufferAfterMinutes: z.number().int().min(0).max(120),
    requiresDryNeedlingCert: z.boolean(),
    usesEstim: z.boolean(),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a hex colour such as #1f7a8c' }),
  })
  // Intramuscular e-stim is delivered through the inserted needles, so it is dry needling too.
  .refine((t) => !t.usesEstim || t.requiresDryNeedlingCert, {
    message: 'an e-stim appointment type also requires the dry-needling certification',
    path: ['requiresDryNeedlingCert'],
  });
export type AppointmentType = z.infer<typeof AppointmentType>;

export const Room = z.object({
  id: EntityId,
  clinicId: EntityId,
  name: text({ max: 80 }),
  /** A working e-stim stimulator is installed; required by `usesEstim` types. */
  hasStimulator: z.boolean(),
  /** Inactive rooms (refurbishment, retired) are never offered. */
  active: z.boolean(),
});
export type Room = z.infer<typeof Room>;

export const Practitioner = z.object({
  id: EntityId,
  name: text({ max: 120 }),
  /** Last day the dry-needling certification is valid (inclusive); null when none is held. */
  dryNeedlingCertExpiresOn: CalendarDate.nullable(),
  estimQualified: z.boolean(),
  clinicIds: z.array(EntityId),
});
export type Practitioner = z.infer<typeof Practitioner>;

/** True when the certification covers the whole local day `onDate` (ISO dates compare as strings). */
export function hasValidDryNeedlingCert(practitioner: Practitioner, onDate: string): boolean {
  const expiresOn = practitioner.dryNeedlingCertExpiresOn;
  return expiresOn !== null && expiresOn >= onDate;
}

/** Whether the practitioner's qualifications allow this type on that local day. */
export function isQualifiedFor(
  practitioner: Practitioner,
  type: AppointmentType,
  onDate: string,
): boolean {
  if (type.usesEstim && !practitioner.estimQualified) return false;
  return !type.requiresDryNeedlingCert || hasValidDryNeedlingCert(practitioner, onDate);
}

/** Rooms that can host the type at this clinic, in the caller's (stable) order. */
export function suitableRooms(
  rooms: readonly Room[],
  clinicId: string,
  type: AppointmentType,
): Room[] {
  return rooms.filter(
    (r) => r.clinicId === clinicId && r.active && (!type.usesEstim || r.hasStimulator),
  );
}
