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
  /** `include` for the auth routes, whose refresh cookie must travel to an API on another origin. */
  credentials?: RequestCredentials;
}

const API_PREFIX = '/api/v1';

/**
 * The signed-in session's tokens, installed by the auth provider. Views keep the token they were
 * first given (their cache keys use it); `current` swaps it for the newest one of the same session,
 * and `renew` answers a current token after a 401 (renewing if need be), or null when there is none.
 */
export interface TokenSource {
  current(token: string): string | undefined;
  renew(refusedToken: string): Promise<string | null>;
}

let source: TokenSource | null = null;

/** Installs the session's token source; answers a function that removes it again. */
export function setTokenSource(next: TokenSource): () => void {
  source = next;
  return () => {
    if (source === next) source = null;
  };
}

/**
 * Calls the API and validates the answer against a domain schema, so a contract drift shows up
 * as a clear error here instead of `undefined` somewhere in a component. A request refused with
 * 401 is renewed once and retried with the new token, so an expiry never surfaces as an error.
 */
export async function apiRequest<T>(
  path: string,
  schema: z.ZodType<T> | null,
  request: ApiRequest = {},
): Promise<T> {
  // Only the signed-in session's tokens are swapped and renewed (a patient link's never is).
  const mine = request.token ? source?.current(request.token) : undefined;
  const token = mine ?? request.token;
  const response = await send(path, { ...request, token });
  if (response.status === 401 && mine && source) {
    const fresh = await source.renew(mine).catch(() => null);
    if (fresh && fresh !== mine) {
      return read(path, schema, request, await send(path, { ...request, token: fresh }));
    }
  }
  return read(path, schema, request, response);
}

async function send(path: string, request: ApiRequest): Promise<Response> {
  const { method = 'GET', token, body, origin = '', idempotencyKey, credentials } = request;
  const headers: Record<string, string> = { Accept: `application/json, ${PROBLEM_CONTENT_TYPE}` };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  try {
    return await fetch(`${origin}${API_PREFIX}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(credentials ? { credentials } : {}),
    });
  } catch {
    throw new ApiProblemError(NETWORK_PROBLEM);
  }
}

async function read<T>(
  path: string,
  schema: z.ZodType<T> | null,
  { method = 'GET' }: ApiRequest,
  response: Response,
): Promise<T> {
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
