import { Clinic } from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';

const ClinicList = z.array(Clinic);

/** The caller's clinics; the server scopes the list to the user's memberships. `origin`: `''` for the page's own. */
export function fetchClinics(token: string, origin = ''): Promise<Clinic[]> {
  return apiRequest('/clinics', ClinicList, { token, origin });
}
