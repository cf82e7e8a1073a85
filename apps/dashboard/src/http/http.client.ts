import { PROBLEM_CONTENT_TYPE } from '@tautline/domain';
import { type z } from 'zod';
import { ApiProblemError, NETWORK_PROBLEM, parseRetryAfter, toProblem } from './http.problem';

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string;
  body?: unknown;
  /** Sent as `Idempotency-Key`: a retried booking is answered, not booked twice. */
  idempotencyKey?: string;
  /** Scheme, host and port of the API; `''` (the default) is the page's own origin. See `http.origin.tsx`. */
  origin?: string;
}

const API_PREFIX = '/api/v1';

/**
 * Calls the API and validates the answer against a domain schema, so a contract drift shows up
 * as a clear error here instead of `undefined` somewhere in a component.
 */
export async function apiRequest<T>(
  path: string,
  schema: z.ZodType<T> | null,
  request: ApiRequest = {},
): Promise<T> {
  const { method = 'GET', token, body, origin = '', idempotencyKey } = request;
  const headers: Record<string, string> = { Accept: `application/json, ${PROBLEM_CONTENT_TYPE}` };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

  let response: Response;
  try {
    response = await fetch(`${origin}${API_PREFIX}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblemError(NETWORK_PROBLEM);
  }

  if (!response.ok) {
    const problemBody: unknown = await response.json().catch(() => null);
    throw new ApiProblemError(
      toProblem(problemBody, response.status, response.statusText),
      parseRetryAfter(response.headers.get('Retry-After')),
      problemBody,
    );
  }
  if (schema === null) return undefined as T;
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new ApiProblemError({
      type: 'about:blank',
      title: 'Unexpected answer from the server',
      status: 502,
      detail: `The answer to ${method} ${path} did not match the expected shape.`,
    });
  }
  return parsed.data;
}
