import { startTestApp, type TestApp, type TestResponse } from '../testing/test-app';
import { API_CSP, DOCS_CSP } from './security-headers';

describe('security headers (real API on PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scheduler: string;

  beforeAll(async () => {
    t = await startTestApp('security-headers');
    scheduler = await t.login('scheduler@tautline.test');
  });
  afterAll(() => t.close());

  const expectHardened = (res: TestResponse, csp = API_CSP) => {
    expect(res.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  };

  it('hardens a PHI answer and keeps it out of every cache', async () => {
    const london = t.demo.clinicIds['london-bridge']!;
    const res = await t.request(`/api/v1/patients?clinicId=${london}`, { token: scheduler });
    expect(res.status).toBe(200);
    expectHardened(res);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('hardens errors too: 401, 404, malformed JSON, a refused sign-in', async () => {
    const answers = await Promise.all([
      t.request('/api/v1/clinics'),
      t.request('/api/v1/no-such-route', { token: scheduler }),
      t.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":',
      }),
      t.request('/api/v1/auth/login', {
        method: 'POST',
        json: { email: 'admin@tautline.test', password: 'no' },
      }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([401, 404, 400, 401]);
    for (const res of answers) {
      expectHardened(res);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('keeps a route’s own stricter cache rule and marks health no-store', async () => {
    const health = await t.request('/api/health');
    expectHardened(health);
    expect(health.headers.get('cache-control')).toBe('no-store');
    const link = await t.request('/api/v1/patient-links/not-a-token');
    expect(link.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('serves Swagger UI under a CSP that allows exactly what it loads', async () => {
    const page = await t.request('/api/docs');
    expect(page.status).toBe(200);
    expectHardened(page, DOCS_CSP);
    const html = await page.text();
    // script-src 'self': every script is a same-origin file, none inline.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src=/);
      expect(body!.trim()).toBe('');
    }
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+\.(?:js|css))["']/g)].map(
      (m) => m[1]!,
    );
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      const url = new URL(asset, `${t.url}/api/docs/`);
      expect(url.origin).toBe(t.url);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      // nosniff: scripts and styles must come with their own types or the browser drops them.
      expect(res.headers.get('content-type')).toMatch(
        asset.endsWith('.js') ? /javascript/ : /text\/css/,
      );
      await res.arrayBuffer();
    }
    const init = await (await fetch(`${t.url}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('SwaggerUIBundle(swaggerOptions)');
    expect(init).toContain('"/api/v1/auth/login"');
  });
});
