import { Clinic } from '@tautline/domain';
import { z } from 'zod';
import {
  json,
  problem,
  startTestServer,
  unreachableOrigin,
  type TestServer,
} from '../testing/testing.server';
import { apiRequest, setTokenSource } from './http.client';
import { ApiProblemError, describeProblem, parseRetryAfter } from './http.problem';

const clinic = {
  id: '11111111-1111-4111-8111-111111111111',
  organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
  name: 'London Bridge',
  timeZone: 'Europe/London',
  phone: null,
};

async function failure(promise: Promise<unknown>): Promise<ApiProblemError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiProblemError))
    throw new Error(`expected an ApiProblemError, got ${String(error)}`);
  return error;
}

// Real fetch against a real HTTP server (src/testing/testing.server.ts).
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

describe('apiRequest', () => {
  it('sends the bearer token under /api/v1 and validates the answer', async () => {
    server.route('GET', '/api/v1/clinics', () => json(200, [clinic]));
    const { origin } = server;
    await expect(
      apiRequest('/clinics', z.array(Clinic), { token: 't0k', origin }),
    ).resolves.toEqual([clinic]);
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/v1/clinics', body: undefined }),
    ]);
    expect(server.requests[0]!.headers).toMatchObject({
      authorization: 'Bearer t0k',
      accept: 'application/json, application/problem+json',
    });
  });

  it('sends the session’s newest token for an older one, and renews once on a 401, then retries', async () => {
    server.route('GET', '/api/v1/clinics', (req) =>
      req.headers.authorization === 'Bearer new-2'
        ? json(200, [clinic])
        : problem(401, 'Unauthorized', 'the token has expired'),
    );
    let newest = 'new-1';
    const renew = jest.fn(async () => (newest = 'new-2'));
    const remove = setTokenSource({
      current: (token) => (token === 'first' ? newest : undefined),
      renew,
    });
    try {
      await expect(
        apiRequest('/clinics', z.array(Clinic), { token: 'first', origin: server.origin }),
      ).resolves.toEqual([clinic]);
      expect(server.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer new-1',
        'Bearer new-2',
      ]);
      expect(renew).toHaveBeenCalledWith('new-1');

      // Renewal impossible: the 401 reaches the caller, after one renewal attempt and no retry.
      renew.mockResolvedValueOnce(null as never);
      newest = 'dead';
      const error = await failure(
        apiRequest('/clinics', null, { token: 'first', origin: server.origin }),
      );
      expect(error.problem.status).toBe(401);
      expect(server.requests).toHaveLength(3);
      // A token that is not the session's (a patient link's, say) is sent as given.
      await failure(apiRequest('/clinics', null, { token: 'other', origin: server.origin }));
      expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer other');
    } finally {
      remove();
    }
  });

  it('posts JSON', async () => {
    server.route('POST', '/api/v1/clinics/:id/notices', () => json(202, { id: 'job-1' }));
    await expect(
      apiRequest('/clinics/x/notices', null, {
        method: 'POST',
        body: { message: 'hi' },
        origin: server.origin,
      }),
    ).resolves.toBeUndefined();
    const [request] = server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/v1/clinics/x/notices',
      body: { message: 'hi' },
    });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toBeUndefined();
  });

  it('turns a problem+json answer into an ApiProblemError with Retry-After', async () => {
    server.route('POST', '/api/v1/auth/login', () =>
      problem(429, 'Too Many Requests', 'Slow down', { headers: { 'Retry-After': '42' } }),
    );
    const error = await failure(
      apiRequest('/auth/login', null, { method: 'POST', body: {}, origin: server.origin }),
    );
    expect(error.problem).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Slow down',
      instance: '/api/v1/auth/login',
    });
    expect(error.retryAfterSeconds).toBe(42);
    expect(describeProblem(error)).toBe('Too many attempts. Try again in 42 seconds.');
  });

  it('still yields a problem when a proxy answers with something else', async () => {
    server.route('GET', '/api/v1/clinics', () => ({
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' },
    }));
    const error = await failure(apiRequest('/clinics', null, { origin: server.origin }));
    expect(error.status).toBe(502);
    expect(error.problem.title).toBe('Bad Gateway');
    expect(describeProblem(error)).toMatch(/having trouble/);
  });

  it('reports an unreachable server in words', async () => {
    const error = await failure(
      apiRequest('/clinics', null, { origin: await unreachableOrigin() }),
    );
    expect(error.status).toBe(0);
    expect(describeProblem(error)).toBe(
      'Cannot reach Tautline. Check your connection and try again.',
    );
  });

  it('refuses an answer that breaks the contract', async () => {
    server.route('GET', '/api/v1/clinics', () =>
      json(200, [{ ...clinic, timeZone: 'Mars/Olympus' }]),
    );
    const error = await failure(apiRequest('/clinics', z.array(Clinic), { origin: server.origin }));
    expect(error.problem.title).toBe('Unexpected answer from the server');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-09T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Mon, 09 Mar 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
