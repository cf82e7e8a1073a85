import {
  Appointment,
  AppointmentTypeView,
  PractitionerView,
  Room,
  SeriesResult,
  SlotList,
  type CreateAppointmentRequest,
  type RescheduleRequest,
  type SeriesRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';

/** The members the scheduling API adds to its problems (read from `ApiProblemError.body`). */
export const SchedulingProblemExtras = z.object({
  resource: z.string().optional(),
  conflictingAppointmentId: z.string().nullable().optional(),
  currentVersion: z.number().optional(),
  screening: z
    .object({
      blocks: z.array(
        z.object({
          code: z.string(),
          label: z.string(),
          severity: z.string(),
          treatment: z.string(),
        }),
      ),
      needsOverride: z.boolean(),
    })
    .optional(),
});
export type SchedulingProblemExtras = z.infer<typeof SchedulingProblemExtras>;

const q = (params: Record<string, string | undefined>) =>
  new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();

export interface Auth {
  token: string;
  origin: string;
}

export const fetchAppointments = (auth: Auth, clinicId: string, from: string, to: string) =>
  apiRequest(`/appointments?${q({ clinicId, from, to })}`, z.array(Appointment), auth);

export const fetchAppointment = (auth: Auth, id: string) =>
  apiRequest(`/appointments/${encodeURIComponent(id)}`, Appointment, auth);

export const fetchRooms = (auth: Auth, clinicId: string) =>
  apiRequest(`/clinics/${encodeURIComponent(clinicId)}/rooms`, z.array(Room), auth);

export const fetchPractitioners = (auth: Auth) =>
  apiRequest('/practitioners', z.array(PractitionerView), auth);

export const fetchAppointmentTypes = (auth: Auth) =>
  apiRequest('/appointment-types', z.array(AppointmentTypeView), auth);

export interface SlotSearch {
  clinicId: string;
  appointmentTypeId: string;
  from: string;
  to: string;
  practitionerId?: string;
  patientId?: string;
  /** The previous page's `nextCursor`. */
  cursor?: string;
}

export const fetchSlots = (auth: Auth, search: SlotSearch) =>
  apiRequest(`/slots?${q({ ...search })}`, SlotList, auth);

export const bookAppointment = (
  auth: Auth,
  body: CreateAppointmentRequest,
  idempotencyKey: string,
) => apiRequest('/appointments', Appointment, { ...auth, method: 'POST', body, idempotencyKey });

export const bookSeries = (auth: Auth, body: SeriesRequest, idempotencyKey: string) =>
  apiRequest('/appointments/series', SeriesResult, {
    ...auth,
    method: 'POST',
    body,
    idempotencyKey,
  });

export const rescheduleAppointment = (auth: Auth, id: string, body: RescheduleRequest) =>
  apiRequest(`/appointments/${encodeURIComponent(id)}`, Appointment, {
    ...auth,
    method: 'PATCH',
    body,
  });

export type StatusAction = 'confirm' | 'check-in' | 'no-show' | 'complete' | 'cancel';

export const changeAppointmentStatus = (
  auth: Auth,
  id: string,
  action: StatusAction,
  body: { version?: number; reason?: string },
) =>
  apiRequest(`/appointments/${encodeURIComponent(id)}/${action}`, Appointment, {
    ...auth,
    method: 'POST',
    body,
  });

/** A fresh key per booking attempt, so a retried request (network blip) never books twice. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
