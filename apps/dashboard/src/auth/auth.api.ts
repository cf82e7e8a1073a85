import { type LoginRequest, LoginResponse } from '@tautline/domain';
import { apiRequest } from '../http/http.client';

/** `origin`: where the API answers, `''` for the page's own origin. */
export function login(credentials: LoginRequest, origin = ''): Promise<LoginResponse> {
  return apiRequest('/auth/login', LoginResponse, { method: 'POST', body: credentials, origin });
}
