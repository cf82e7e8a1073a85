import { type LoginResponse, type ProblemDetails, type UserProfile } from '@tautline/domain';
import { type Credentials } from './cli-options';
import { retryAfterMs } from './delivery-policy';

/** A non-2xx answer of the API, with its problem details (`resource` of a 409 clash and so on). */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: (ProblemDetails & Record<string, unknown>) | undefined,
  ) {
    const fields = problem?.errors?.map((e) => `${e.field} ${e.message}`).join('; ');
    super(
      `${method} ${path} answered ${status}${problem ? ` ${problem.title}: ${problem.detail ?? ''}` : ''}${fields ? ` (${fields})` : ''}`,
    );
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Sign in again this long before the token expires. */
const TOKEN_MARGIN_MS = 60_000;

/** Why a fetch failed, in a word where there is one (ECONNREFUSED, TimeoutError, bad port). */
export function fetchFailure(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  return (
    e.cause?.code ??
    (e.name === 'TimeoutError' ? 'timeout' : (e.cause?.message ?? e.message ?? String(error)))
  );
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The REST API as one user: signs in with `POST /auth/login`, signs in again before the token
 * expires (and once on a 401), honours a 429 on sign-in, retries reads after network errors.
 */
export class ApiClient {
  private token: string | null = null;
  private tokenExpiresAt = 0;
  private signingIn: Promise<UserProfile> | null = null;
  user: UserProfile | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: Credentials,
  ) {}

  signIn(): Promise<UserProfile> {
    this.signingIn ??= this.login().finally(() => (this.signingIn = null));
    return this.signingIn;
  }

  /** The answer whatever its status; throws only when the API cannot be reached. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    if (!this.token || Date.now() > this.tokenExpiresAt - TOKEN_MARGIN_MS) await this.signIn();
    let answer = await this.send<T>(method, path, body, headers);
    if (answer.status === 401) {
      await this.signIn();
      answer = await this.send<T>(method, path, body, headers);
    }
    return answer;
  }

  /** The body of a 2xx answer; anything else is an ApiError. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, path, body);
    if (answer.status < 200 || answer.status >= 300) {
      throw new ApiError(
        method,
        path,
        answer.status,
        answer.body as ProblemDetails & Record<string, unknown>,
      );
    }
    return answer.body;
  }

  private async login(): Promise<UserProfile> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.send<LoginResponse>(
        'POST',
        '/auth/login',
        this.credentials,
        {},
        false,
      );
      if (answer.status === 429 && attempt < 3) {
        await sleep(retryAfterMs(answer.headers.get('retry-after')));
        continue;
      }
      if (answer.status !== 200) {
        throw new ApiError(
          'POST',
          `/auth/login (${this.credentials.email})`,
          answer.status,
          answer.body as never,
        );
      }
      this.token = answer.body.accessToken;
      this.tokenExpiresAt = Date.now() + answer.body.expiresIn * 1000;
      this.user = answer.body.user;
      return answer.body.user;
    }
  }

  private async send<T>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    authorised = true,
  ): Promise<ApiAnswer<T>> {
    // Reads are safe to repeat after a network error; writes are not, so they fail at once.
    const attempts = method === 'GET' ? 3 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
          method,
          headers: {
            ...(authorised && this.token ? { authorization: `Bearer ${this.token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        let parsed: unknown = undefined;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = { title: 'Unreadable answer', detail: text.slice(0, 200) };
        }
        return { status: res.status, body: parsed as T, headers: res.headers };
      } catch (error) {
        if (attempt >= attempts) {
          throw new Error(
            `${method} ${path}: the API at ${this.baseUrl} did not answer (${fetchFailure(error)})`,
          );
        }
        await sleep(500 * attempt);
      }
    }
  }
}

/** `GET /api/health` in a few words, e.g. "ok (postgres up, redis up)". */
export async function checkHealth(baseUrl: string): Promise<{ ok: boolean; text: string }> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    return { ok: false, text: `unreachable (${fetchFailure(error)})` };
  }
  let body: { status?: string; checks?: Record<string, { status: string }> };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    return {
      ok: false,
      text: `not the Tautline API (GET /api/health answered ${res.status}, not JSON)`,
    };
  }
  const checks = Object.entries(body.checks ?? {})
    .map(([name, c]) => `${name} ${c.status}`)
    .join(', ');
  return { ok: res.ok, text: `${body.status ?? res.status}${checks ? ` (${checks})` : ''}` };
}
