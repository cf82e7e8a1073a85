import { type LoginRequest, LoginResponse } from '@tautline/domain';
import { apiRequest } from '../http/http.client';

// The refresh cookie is httpOnly and scoped to /api/v1/auth: these calls carry it (`include`, for
// an API on another origin in tests), nothing else does.

/** `origin`: where the API answers, `''` for the page's own origin. */
export function login(credentials: LoginRequest, origin = ''): Promise<LoginResponse> {
  return apiRequest('/auth/login', LoginResponse, {
    method: 'POST',
    body: credentials,
    origin,
    credentials: 'include',
  });
}

/** A new access token from the refresh cookie (which the server rotates). */
export function refresh(origin = ''): Promise<LoginResponse> {
  return apiRequest('/auth/refresh', LoginResponse, {
    method: 'POST',
    origin,
    credentials: 'include',
  });
}

/** Ends the sign-in session on the server and clears its cookie. */
export function logout(origin = ''): Promise<void> {
  return apiRequest('/auth/logout', null, { method: 'POST', origin, credentials: 'include' });
}
