import { Clinic } from '@tautline/domain';
import { z } from 'zod';
import { fakeResponse } from '../testing/testing.render';
import { apiRequest } from './http.client';
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
  if (!(error instanceof ApiProblemError)) throw new Error(`expected an ApiProblemError, got ${String(error)}`);
  return error;
}

describe('apiRequest', () => {
  it('sends the bearer token under /api/v1 and validates the answer', async () => {
    const fetchImpl = jest.fn().mockResolvedValue(fakeResponse(200, [clinic]));
    await expect(apiRequest('/clinics', z.array(Clinic), { token: 't0k', fetchImpl })).resolves.toEqual([clinic]);
    const [url, init] = fetchImpl.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/v1/clinics');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer t0k' });
  });

  it('posts JSON', async () => {
    const fetchImpl = jest.fn().mockResolvedValue(fakeResponse(202, undefined));
    await apiRequest('/clinics/x/notices', null, { method: 'POST', body: { message: 'hi' }, fetchImpl });
    const [, init] = fetchImpl.mock.calls[0] as [string, RequestInit];
    expect(init).toMatchObject({ method: 'POST', body: '{"message":"hi"}', headers: { 'Content-Type': 'application/json' } });
  });

  it('turns a problem+json answer into an ApiProblemError with Retry-After', async () => {
    const problem = { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Slow down' };
    const fetchImpl = jest.fn().mockResolvedValue(fakeResponse(429, problem, { 'Retry-After': '42' }));
    const error = await failure(apiRequest('/auth/login', null, { method: 'POST', body: {}, fetchImpl }));
    expect(error.problem).toEqual(problem);
    expect(error.retryAfterSeconds).toBe(42);
    expect(describeProblem(error)).toBe('Too many attempts. Try again in 42 seconds.');
  });

  it('still yields a problem when a proxy answers with something else', async () => {
    const fetchImpl = jest.fn().mockResolvedValue(fakeResponse(502, undefined));
    const error = await failure(apiRequest('/clinics', null, { fetchImpl }));
    expect(error.status).toBe(502);
    expect(describeProblem(error)).toMatch(/having trouble/);
  });

  it('reports an unreachable server in words', async () => {
    const fetchImpl = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    const error = await failure(apiRequest('/clinics', null, { fetchImpl }));
    expect(describeProblem(error)).toBe('Cannot reach Tautline. Check your connection and try again.');
  });

  it('refuses an answer that breaks the contract', async () => {
    const fetchImpl = jest.fn().mockResolvedValue(fakeResponse(200, [{ ...clinic, timeZone: 'Mars/Olympus' }]));
    const error = await failure(apiRequest('/clinics', z.array(Clinic), { fetchImpl }));
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
