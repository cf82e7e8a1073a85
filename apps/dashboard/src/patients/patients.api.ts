import {
  PatientDetail,
  PatientPage,
  PatientScreeningView,
  PatientView,
  type CreatePatientRequest,
  type RecordConsentRequest,
  type SetContraindicationsRequest,
} from '@tautline/domain';
import { type Auth } from '../calendar/calendar.api';
import { apiRequest } from '../http/http.client';

/** Patient records. Searches go in the body so names never land in a URL. */
export const searchPatients = (auth: Auth, q: string, clinicId?: string) =>
  apiRequest('/patients/search', PatientPage, {
    ...auth,
    method: 'POST',
    body: { q, limit: 20, ...(clinicId ? { clinicId } : {}) },
  });

/** The patients of the given ids (at most PATIENT_PAGE_MAX) in one read; those not visible are left out. */
export const lookupPatients = (auth: Auth, ids: readonly string[]) =>
  apiRequest('/patients/search', PatientPage, {
    ...auth,
    method: 'POST',
    body: { ids, limit: ids.length },
  });

export const fetchPatient = (auth: Auth, id: string) =>
  apiRequest(`/patients/${encodeURIComponent(id)}`, PatientDetail, auth);

export const createPatient = (auth: Auth, body: CreatePatientRequest) =>
  apiRequest('/patients', PatientView, { ...auth, method: 'POST', body });

export const recordConsent = (auth: Auth, id: string, body: RecordConsentRequest) =>
  apiRequest(`/patients/${encodeURIComponent(id)}/consents`, PatientScreeningView, {
    ...auth,
    method: 'POST',
    body,
  });

export const setContraindications = (auth: Auth, id: string, body: SetContraindicationsRequest) =>
  apiRequest(`/patients/${encodeURIComponent(id)}/contraindications`, PatientScreeningView, {
    ...auth,
    method: 'PUT',
    body,
  });

export const patientName = (p: { givenName: string; familyName: string }) =>
  `${p.givenName} ${p.familyName}`;
