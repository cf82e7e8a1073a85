import { JwtService } from '@nestjs/jwt';
import { DEMO_PASSWORD } from '@tautline/db';
import { LIVE_NAMESPACE } from '@tautline/domain';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('POST /api/v1/auth/login (real PostgreSQL + Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('auth', { LOGIN_LIMIT_PER_MINUTE: '3', JWT_TTL_SECONDS: '120' });
  });
  const sockets: Socket[] = [];
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await t.close();
  });

  const login = (body: unknown) => t.request('/api/v1/auth/login', { method: 'POST', json: body });

  it('signs a demo user in with a short-lived token and their clinics', async () => {
    const res = await login({ email: 'Scheduler@Tautline.test', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.expiresIn).toBe(120);
    expect(body.user).toMatchObject({
      email: 'scheduler@tautline.test',
      role: 'scheduler',
      organisationId: t.demo.organisationId,
    });
    expect(body.user.clinicIds.sort()).toEqual(
      [t.demo.clinicIds['london-bridge'], t.demo.clinicIds.manchester].sort(),
    );
    expect(body.user).not.toHaveProperty('passwordHash');
    const [, payload] = body.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(120);
    expect(claims).toMatchObject({ sub: body.user.id, role: 'scheduler' });
  });

  it('answers the same 401 problem for a wrong password and an unknown email', async () => {
    const wrong = await login({ email: 'admin@tautline.test', password: 'not-it' });
    const unknown = await login({ email: 'nobody@tautline.test', password: 'not-it' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a.detail).toBe('the email or password is incorrect');
    expect(b.detail).toBe(a.detail);
  });

  it('logs failed logins without the password', async () => {
    const secret = 'hunter2-very-secret';
    await login({ email: 'supervisor@tautline.test', password: secret });
    const failures = t.logs.filter((l) => l.event === 'auth.login_failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.some((l) => l.reason === 'bad_password')).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(secret);
    expect(JSON.stringify(t.logs)).not.toContain(DEMO_PASSWORD);
  });

  it('names the failing fields of a bad body', async () => {
    const res = await login({ email: 'not-an-email' });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.email',
      'body.password',
    ]);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "a@b.c",',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await res.json();
    expect(problem.errors).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers an unsupported content type with a 415 problem', async () => {
    const res = await t.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'email,password',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('refuses a correctly signed token without exp, iat or sub, on HTTP and on the live socket', async () => {
    // Signed with the app's own secret by the real library: only the missing claims are wrong.
    const jwt = new JwtService({ secret: t.env.JWT_SECRET });
    const claims = {
      sub: t.demo.userIds['admin@tautline.test'],
      org: t.demo.organisationId,
      role: 'admin',
    };
    const good = await jwt.signAsync(claims, { expiresIn: 60 });
    const forever = await jwt.signAsync(claims);
    const undated = await jwt.signAsync(claims, { expiresIn: 60, noTimestamp: true });
    const anonymous = await jwt.signAsync(
      { org: claims.org, role: claims.role },
      { expiresIn: 60 },
    );
    expect(
      JSON.parse(Buffer.from(forever.split('.')[1]!, 'base64url').toString()),
    ).not.toHaveProperty('exp');

    const clinics = (token: string) => t.request('/api/v1/clinics', { token });
    expect((await clinics(good)).status).toBe(200);
    for (const token of [forever, undated, anonymous]) {
      const res = await clinics(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await res.json()).detail).toBe('the token is invalid');
    }

    const handshake = (token: string) =>
      new Promise<string>((resolve) => {
        const socket = io(`${t.url}${LIVE_NAMESPACE}`, {
          auth: { token },
          transports: ['websocket'],
          reconnection: false,
        });
        socket.on('connect', () => resolve('connected'));
        socket.on('connect_error', (e) => resolve(e.message));
        sockets.push(socket);
      });
    expect(await handshake(good)).toBe('connected');
    expect(await handshake(forever)).toBe('unauthorized');
    expect(await handshake(undated)).toBe('unauthorized');
  });

  it('rate-limits repeated attempts on one account with 429 and Retry-After', async () => {
    const attempt = () => login({ email: 'practitioner@tautline.test', password: 'guess' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await attempt();
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).status).toBe(429);
    // The right password is refused too while blocked, and the limit lives in Redis under the app's prefix.
    expect(
      (await login({ email: 'practitioner@tautline.test', password: DEMO_PASSWORD })).status,
    ).toBe(429);
  });
});
