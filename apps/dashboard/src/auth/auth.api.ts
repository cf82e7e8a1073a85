import { LoginResponse } from '@tautline/domain';
import { apiRequest, type FetchLike } from '../http/http.client';

export type LoginFn = (credentials: { email: string; password: string }) => Promise<LoginResponse>;

export const login: LoginFn = (credentials) => loginWith(credentials);

export function loginWith(credentials: { email: string; password: string }, fetchImpl?: FetchLike): Promise<LoginResponse> {
  return apiRequest('/auth/login', LoginResponse, { method: 'POST', body: credentials, fetchImpl });
}
