import { z } from 'zod';
import { EntityId } from './scheduling/calendar.schemas';
import { text } from './text.schemas';
import { AppointmentType, Practitioner, Room } from './scheduling/resources.schemas';

/**
 * REST contracts of clinic resources (rooms, practitioners, appointment types). Fields and rules
 * come from the slot engine's schemas in `scheduling/resources.schemas`; only what the engine does
 * not need (credentials, `active` flags) is added here. Request bodies are strict: a misspelt field
 * is a 400, not a silently ignored change.
 */

const atLeastOneField = (body: object) => Object.keys(body).length > 0;
const AT_LEAST_ONE_FIELD = { message: 'give at least one field to change' };

// ---- Rooms: the engine's Room is already the full record.

export const CreateRoomRequest = z.strictObject({
  name: Room.shape.name,
  hasStimulator: Room.shape.hasStimulator.default(false),
  active: Room.shape.active.default(true),
});
export type CreateRoomRequest = z.infer<typeof CreateRoomRequest>;

export const UpdateRoomRequest = z
  .strictObject(Room.shape)
  .omit({ id: true, clinicId: true })
  .partial()
  .refine(atLeastOneField, AT_LEAST_ONE_FIELD);
export type UpdateRoomRequest = z.infer<typeof UpdateRoomRequest>;

/** What `DELETE /rooms/:id` did: a room with appointments is deactivated so its history stays. */
export const RoomRemoval = z.object({ id: EntityId, outcome: z.enum(['deleted', 'deactivated']) });
export type RoomRemoval = z.infer<typeof RoomRemoval>;

// ---- Practitioners

const Credentials = text({ min: 0, max: 200 });
/** The clinics a practitioner works at, each one of the caller's. */
const PractitionerClinicIds = z
  .array(EntityId)
  .min(1, 'name at least one clinic')
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat a clinic' });

/** A practitioner as the API shows it: `clinicIds` lists only the caller's clinics. */
export const PractitionerView = Practitioner.extend({
  /** Post-nominals as printed, e.g. "PT, DPT, CMTPT". */
  credentials: z.string(),
  /** Inactive practitioners are never offered for booking. */
  active: z.boolean(),
});
export type PractitionerView = z.infer<typeof PractitionerView>;

export const CreatePractitionerRequest = z.strictObject({
  name: Practitioner.shape.name,
  credentials: Credentials.default(''),
  dryNeedlingCertExpiresOn: Practitioner.shape.dryNeedlingCertExpiresOn.default(null),
  estimQualified: Practitioner.shape.estimQualified.default(false),
  clinicIds: PractitionerClinicIds,
});
export type CreatePractitionerRequest = z.infer<typeof CreatePractitionerRequest>;

/**
 * `clinicIds` replaces the practitioner's clinics among the caller's own (clinics the caller
 * cannot see are left alone). Leaving a clinic removes the availability kept there.
 */
export const UpdatePractitionerRequest = z
  .strictObject({
    name: Practitioner.shape.name,
    credentials: Credentials,
    dryNeedlingCertExpiresOn: Practitioner.shape.dryNeedlingCertExpiresOn,
    estimQualified: Practitioner.shape.estimQualified,
    active: z.boolean(),
    clinicIds: PractitionerClinicIds,
  })
  .partial()
  .refine(atLeastOneField, AT_LEAST_ONE_FIELD);
export type UpdatePractitionerRequest = z.infer<typeof UpdatePractitionerRequest>;

export const PractitionerListQuery = z.strictObject({ clinicId: EntityId.optional() });
export type PractitionerListQuery = z.infer<typeof PractitionerListQuery>;

// ---- Appointment types (organisation-wide)

/**
 * The engine's AppointmentType is a refined object, which zod will not `.omit` or `.partial`:
 * these schemas rebuild it from its shape and re-attach its own checks, so the rules
 * (e-stim implies the dry-needling certification) are the domain's, not a copy.
 */
const { id: _typeId, ...appointmentTypeFields } = AppointmentType.shape;
// The checks were written for the whole record; they read only fields every body here carries.
const appointmentTypeChecks = (AppointmentType.def.checks ?? []) as z.core.$ZodCheck<unknown>[];

export const AppointmentTypeView = z.object({ ...AppointmentType.shape, active: z.boolean() });
export type AppointmentTypeView = z.infer<typeof AppointmentTypeView>;

export const CreateAppointmentTypeRequest = z
  .strictObject({
    ...appointmentTypeFields,
    bufferBeforeMinutes: appointmentTypeFields.bufferBeforeMinutes.default(0),
    bufferAfterMinutes: appointmentTypeFields.bufferAfterMinutes.default(0),
    requiresDryNeedlingCert: appointmentTypeFields.requiresDryNeedlingCert.default(true),
    usesEstim: appointmentTypeFields.usesEstim.default(false),
    active: z.boolean().default(true),
  })
  .check(...appointmentTypeChecks);
export type CreateAppointmentTypeRequest = z.infer<typeof CreateAppointmentTypeRequest>;

/** Partial: the API checks the merged result against `AppointmentType` before writing. */
export const UpdateAppointmentTypeRequest = z
  .strictObject({ ...appointmentTypeFields, active: z.boolean() })
  .partial()
  .refine(atLeastOneField, AT_LEAST_ONE_FIELD);
export type UpdateAppointmentTypeRequest = z.infer<typeof UpdateAppointmentTypeRequest>;
