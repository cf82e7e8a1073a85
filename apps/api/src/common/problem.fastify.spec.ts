import { PROBLEM_CONTENT_TYPE } from '@tautline/domain';
import { startTestApp, type TestApp } from '../testing/test-app';

/** What a link token looks like to the router: long, URL-safe, secret. */
const SECRET = 'tok3n-s3cr3t-ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe("Fastify's own errors (real API)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('fastify-errors');
  });
  afterAll(async () => {
    await t.close();
  });

  async function expectProblem(res: Response, status: number): Promise<Record<string, unknown>> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'about:blank',
      status,
      title: expect.any(String),
      detail: expect.any(String),
    });
    return body;
  }

  it('bad percent-encoding is a 400 problem that does not repeat the URL', async () => {
    const res = await t.request(`/api/v1/patient-links/${SECRET}%zz/confirm`);
    const body = await expectProblem(res, 400);
    expect(body.detail).toBe('the request path is not valid percent-encoding');
    expect(body.instance).toBe('/api/v1/patient-links/:redacted/confirm');
  });

  it('a path parameter over 256 characters is a 414 problem without it', async () => {
    const res = await t.request(`/api/v1/patient-links/${SECRET}${'x'.repeat(300)}`);
    const body = await expectProblem(res, 414);
    expect(body.instance).toBe('/api/v1/patient-links/:redacted');
  });

  it('headers larger than the server accepts are a 431 problem', async () => {
    const res = await t.request(`/api/v1/patient-links/${SECRET}`, {
      headers: { 'x-filler': 'a'.repeat(20_000) },
    });
    await expectProblem(res, 431);
  });

  it('instance never carries the query string or a link token', async () => {
    const unknown = await expectProblem(await t.request(`/api/v1/nowhere?token=${SECRET}`), 404);
    expect(unknown.instance).toBe('/api/v1/nowhere');
    expect(unknown.detail).toBe('Cannot GET /api/v1/nowhere');
    const link = await expectProblem(
      await t.request(`/api/v1/patient-links/${SECRET}?utm=${SECRET}`),
      404,
    );
    expect(link.instance).toBe('/api/v1/patient-links/:redacted');
  });

  it('nothing of the URL reaches the logs of these answers', () => {
    expect(JSON.stringify(t.logs)).not.toContain(SECRET);
  });
});
