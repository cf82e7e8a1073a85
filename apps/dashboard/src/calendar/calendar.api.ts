import {
  Appointment,
  AppointmentTypeView,
  PractitionerView,
  ProblemDetails,
  PROBLEM_CONTENT_TYPE,
  Room,
  SeriesResult,
  SlotList,
  type CreateAppointmentRequest,
  type RescheduleRequest,
  type SeriesRequest,
} from '@tautline/domain';
import { z } from 'zod';
import { ApiProblemError, NETWORK_PROBLEM, parseRetryAfter } from '../http/http.problem';

/**
 * The scheduling calls of the calendar. The shared `apiRequest` speaks GET and POST and keeps only
 * the RFC 9457 fields of a problem; booking needs PATCH/PUT, an `Idempotency-Key`, and the extra
 * members the API adds to its problems (`resource`, `conflictingAppointmentId`, `screening`).
 */

/** The members the scheduling API adds to its problems. */
export const SchedulingProblemExtras = z.object({
  resource: z.string().optional(),
  conflictingAppointmentId: z.string().nullable().optional(),
  currentVersion: z.number().optional(),
  screening: z
    .object({
      blocks: z.array(z.object({ code: z.string(), label: z.string(), severity: z.string(), treatment: z.string() })),
      needsOverride: z.boolean(),
    })
    .optional(),
});
export type SchedulingProblemExtras = z.infer<typeof SchedulingProblemExtras>;

/** An `ApiProblemError` that also keeps the scheduling members of the problem. */
export class SchedulingProblemError extends ApiProblemError {
  constructor(
    problem: ProblemDetails,
    readonly extras: SchedulingProblemExtras,
    retryAfterSeconds: number | null = null,
  ) {
    super(problem, retryAfterSeconds);
  }
}

export interface SchedulingRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT';
  token: string;
  origin?: string;
  body?: unknown;
  idempotencyKey?: string;
}

export async function schedulingRequest<T>(path: string, schema: z.ZodType<T>, request: SchedulingRequest): Promise<T> {
  const { method = 'GET', token, origin = '', body, idempotencyKey } = request;
  const headers: Record<string, string> = {
    Accept: `application/json, ${PROBLEM_CONTENT_TYPE}`,
    Authorization: `Bearer ${token}`,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new SchedulingProblemError(NETWORK_PROBLEM, {});
  }
  if (!response.ok) {
    const raw: unknown = await response.json().catch(() => null);
    const parsed = ProblemDetails.safeParse(raw);
    const problem = parsed.success ? parsed.data : { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status };
    const extras = SchedulingProblemExtras.safeParse(raw);
    throw new SchedulingProblemError(
      problem,
      extras.success ? extras.data : {},
      parseRetryAfter(response.headers.get('Retry-After')),
    );
  }
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new SchedulingProblemError(
      {
        type: 'about:blank',
        title: 'Unexpected answer from the server',
        status: 502,
        detail: `The answer to ${method} ${path} did not match the expected shape.`,
      },
      {},
    );
  }
  return parsed.data;
}

const q = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();

export interface Auth {
  token: string;
  origin: string;
}

export const fetchAppointments = (auth: Auth, clinicId: string, from: string, to: string) =>
  schedulingRequest(`/appointments?${q({ clinicId, from, to })}`, z.array(Appointment), auth);

export const fetchAppointment = (auth: Auth, id: string) =>
  schedulingRequest(`/appointments/${encodeURIComponent(id)}`, Appointment, auth);

export const fetchRooms = (auth: Auth, clinicId: string) =>
  schedulingRequest(`/clinics/${encodeURIComponent(clinicId)}/rooms`, z.array(Room), auth);

export const fetchPractitioners = (auth: Auth) => schedulingRequest('/practitioners', z.array(PractitionerView), auth);

export const fetchAppointmentTypes = (auth: Auth) =>
  schedulingRequest('/appointment-types', z.array(AppointmentTypeView), auth);

export interface SlotSearch {
  clinicId: string;
  appointmentTypeId: string;
  from: string;
  to: string;
  practitionerId?: string;
  patientId?: string;
}

export const fetchSlots = (auth: Auth, search: SlotSearch) =>
  schedulingRequest(`/slots?${q({ ...search })}`, SlotList, auth);

export const bookAppointment = (auth: Auth, body: CreateAppointmentRequest, idempotencyKey: string) =>
  schedulingRequest('/appointments', Appointment, { ...auth, method: 'POST', body, idempotencyKey });

export const bookSeries = (auth: Auth, body: SeriesRequest, idempotencyKey: string) =>
  schedulingRequest('/appointments/series', SeriesResult, { ...auth, method: 'POST', body, idempotencyKey });

export const rescheduleAppointment = (auth: Auth, id: string, body: RescheduleRequest) =>
  schedulingRequest(`/appointments/${encodeURIComponent(id)}`, Appointment, { ...auth, method: 'PATCH', body });

export type StatusAction = 'confirm' | 'check-in' | 'no-show' | 'complete' | 'cancel';

export const changeAppointmentStatus = (auth: Auth, id: string, action: StatusAction, body: { version?: number; reason?: string }) =>
  schedulingRequest(`/appointments/${encodeURIComponent(id)}/${action}`, Appointment, { ...auth, method: 'POST', body });

/** A fresh key per booking attempt, so a retried request (network blip) never books twice. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
