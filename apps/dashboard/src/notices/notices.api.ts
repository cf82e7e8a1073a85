import { type PostNoticeRequest } from '@tautline/domain';
import { apiRequest } from '../http/http.client';

/** Answers 202: the worker delivers the notice to the clinic's room, including back to us. */
export function postNotice(
  token: string,
  clinicId: string,
  request: PostNoticeRequest,
  origin = '',
): Promise<void> {
  return apiRequest<void>(`/clinics/${encodeURIComponent(clinicId)}/notices`, null, {
    method: 'POST',
    token,
    body: request,
    origin,
  });
}
