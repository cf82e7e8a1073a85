import {
  PatientDetail,
  PatientPage,
  PatientScreeningView,
  PatientView,
  type CreatePatientRequest,
  type RecordConsentRequest,
  type SetContraindicationsRequest,
} from '@tautline/domain';
import { schedulingRequest, type Auth } from '../calendar/calendar.api';

/** Patient records. Searches go in the body so names never land in a URL. */
export const searchPatients = (auth: Auth, q: string, clinicId?: string) =>
  schedulingRequest('/patients/search', PatientPage, {
    ...auth,
    method: 'POST',
    body: { q, limit: 20, ...(clinicId ? { clinicId } : {}) },
  });

export const fetchPatient = (auth: Auth, id: string) =>
  schedulingRequest(`/patients/${encodeURIComponent(id)}`, PatientDetail, auth);

export const createPatient = (auth: Auth, body: CreatePatientRequest) =>
  schedulingRequest('/patients', PatientView, { ...auth, method: 'POST', body });

export const recordConsent = (auth: Auth, id: string, body: RecordConsentRequest) =>
  schedulingRequest(`/patients/${encodeURIComponent(id)}/consents`, PatientScreeningView, { ...auth, method: 'POST', body });

export const setContraindications = (auth: Auth, id: string, body: SetContraindicationsRequest) =>
  schedulingRequest(`/patients/${encodeURIComponent(id)}/contraindications`, PatientScreeningView, {
    ...auth,
    method: 'PUT',
    body,
  });

export const patientName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;
