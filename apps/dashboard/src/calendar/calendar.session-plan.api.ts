import { Device, TreatmentSession, type StartSessionRequest } from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';
import { type Auth } from './calendar.api';

/** The stimulators of a clinic; the plan editor offers the ones wired in the appointment's room. */
export const fetchClinicDevices = (auth: Auth, clinicId: string) =>
  apiRequest(`/clinics/${encodeURIComponent(clinicId)}/devices`, z.array(Device), auth);

/** Prepares a ready session for a checked-in e-stim appointment (started later from the board). */
export const createSession = (auth: Auth, body: StartSessionRequest) =>
  apiRequest('/sessions', TreatmentSession, { ...auth, method: 'POST', body });
