import { startTestApp, type TestApp } from '../testing/test-app';

/** Sign-in attempts for one account, each claiming to come from another address. */
async function spoofedAttempts(
  t: TestApp,
  email: string,
  forwardedFor: string[],
): Promise<number[]> {
  const statuses: number[] = [];
  for (const address of forwardedFor) {
    const res = await t.request('/api/v1/auth/login', {
      method: 'POST',
      json: { email, password: 'guess' },
      headers: { 'x-forwarded-for': address },
    });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

const addresses = (n: number) => Array.from({ length: n }, (_, i) => `203.0.113.${i + 1}`);

describe('forwarded headers without a trusted proxy (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('proxy-none', { LOGIN_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('counts sign-in attempts by the socket address, whatever X-Forwarded-For says', async () => {
    expect(t.env.TRUSTED_PROXIES).toEqual([]);
    // A fresh X-Forwarded-For per attempt used to open a fresh bucket each time.
    expect(await spoofedAttempts(t, 'scheduler@tautline.test', addresses(4))).toEqual([
      401, 401, 429, 429,
    ]);
  });

  it('builds the calendar-feed link on PUBLIC_URL, not on a forwarded host', async () => {
    const token = await t.login('supervisor@tautline.test');
    const [rhys] = await t.db.dataSource.query(
      `SELECT id FROM practitioners WHERE name = 'Rhys Calloway'`,
    );
    const res = await t.request(`/api/v1/practitioners/${rhys.id}/calendar-feed`, {
      token,
      headers: { 'x-forwarded-host': 'evil.example.net', 'x-forwarded-proto': 'https' },
    });
    expect(res.status).toBe(200);
    expect(new URL((await res.json()).url).origin).toBe(new URL(t.env.PUBLIC_URL).origin);
  });
});

describe('forwarded headers from a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('proxy-trusted', {
      LOGIN_LIMIT_PER_MINUTE: '2',
      TRUSTED_PROXIES: '127.0.0.1',
    });
  });
  afterAll(() => t.close());

  it('counts sign-in attempts by the client address the proxy forwards', async () => {
    const email = 'scheduler@tautline.test';
    expect(
      await spoofedAttempts(t, email, ['198.51.100.7', '198.51.100.7', '198.51.100.7']),
    ).toEqual([401, 401, 429]);
    // Another client behind the same proxy has a limit of its own.
    expect(await spoofedAttempts(t, email, ['198.51.100.8'])).toEqual([401]);
  });
});
