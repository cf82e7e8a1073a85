import {
  PatientAppointmentView,
  PatientSlotList,
  type PatientRescheduleRequest,
} from '@tautline/domain';
import { apiRequest } from '../http/http.client';

/**
 * The patient-link API: the token from the reminder is the only credential (no bearer token).
 * `origin`: where the API answers, `''` for the page's own origin.
 */
const linkPath = (token: string, action = '') =>
  `/patient-links/${encodeURIComponent(token)}${action}`;

export function fetchPatientAppointment(
  token: string,
  origin = '',
): Promise<PatientAppointmentView> {
  return apiRequest(linkPath(token), PatientAppointmentView, { origin });
}

export function confirmPatientAppointment(
  token: string,
  origin = '',
): Promise<PatientAppointmentView> {
  return apiRequest(linkPath(token, '/confirm'), PatientAppointmentView, {
    method: 'POST',
    body: {},
    origin,
  });
}

/** An empty reason is left out: the server records its own ("Cancelled by the patient"). */
export function cancelPatientAppointment(
  token: string,
  reason: string,
  origin = '',
): Promise<PatientAppointmentView> {
  const trimmed = reason.trim();
  return apiRequest(linkPath(token, '/cancel'), PatientAppointmentView, {
    method: 'POST',
    body: trimmed ? { reason: trimmed } : {},
    origin,
  });
}

/**
 * Free times with the same practitioner over the server's default window (14 days from `from`,
 * default now). A page holds at most 100: its `nextFrom` asks for the later ones.
 */
export function fetchPatientSlots(
  token: string,
  origin = '',
  from?: string,
): Promise<PatientSlotList> {
  const query = from ? `?${new URLSearchParams({ from }).toString()}` : '';
  return apiRequest(`${linkPath(token, '/slots')}${query}`, PatientSlotList, { origin });
}

export function reschedulePatientAppointment(
  token: string,
  request: PatientRescheduleRequest,
  origin = '',
): Promise<PatientAppointmentView> {
  return apiRequest(linkPath(token, '/reschedule'), PatientAppointmentView, {
    method: 'POST',
    body: request,
    origin,
  });
}
