import { Clinic } from '@tautline/domain';
import { z } from 'zod';
import { apiRequest, type FetchLike } from '../http/http.client';

const ClinicList = z.array(Clinic);

/** The caller's clinics; the server scopes the list to the user's memberships. */
export function fetchClinics(token: string, fetchImpl?: FetchLike): Promise<Clinic[]> {
  return apiRequest('/clinics', ClinicList, { token, fetchImpl });
}
