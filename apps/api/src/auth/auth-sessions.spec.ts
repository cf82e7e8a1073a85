import { DEMO_PASSWORD } from '@tautline/db';
import { LoginResponse, REFRESH_REUSE_GRACE_MS } from '@tautline/domain';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp, type TestResponse } from '../testing/test-app';

/** The refresh cookie as a browser would keep it: name=value plus its attributes. */
function refreshCookie(res: TestResponse): { value: string; attributes: string[] } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('tautline_refresh='));
  if (!header) throw new Error(`no refresh cookie in ${res.status} answer`);
  const [pair, ...attributes] = header.split(';').map((p) => p.trim());
  return { value: pair!.slice('tautline_refresh='.length), attributes };
}

describe('sign-in sessions: refresh cookie, rotation, revocation (real PostgreSQL + Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('auth-sessions', {
      JWT_TTL_SECONDS: '60',
      AUTH_REFRESH_LIMIT_PER_MINUTE: '1000',
    });
  });
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const res = await t.request('/api/v1/auth/login', {
      method: 'POST',
      json: { email, password: DEMO_PASSWORD },
    });
    expect(res.status).toBe(200);
    return { body: LoginResponse.parse(await res.json()), cookie: refreshCookie(res).value };
  };
  const refresh = (cookie?: string) =>
    t.request('/api/v1/auth/refresh', {
      method: 'POST',
      headers: cookie ? { cookie: `other=1; tautline_refresh=${cookie}` } : {},
    });
  const rows = (cookie: string) =>
    t.db.dataSource.query(
      `SELECT s.*, f.n AS family_size FROM auth_sessions s
         JOIN (SELECT family_id, count(*)::int AS n FROM auth_sessions GROUP BY family_id) f USING (family_id)
        WHERE token_hash = $1`,
      [createHash('sha256').update(cookie).digest()],
    );

  it('sets an httpOnly, SameSite=Strict cookie scoped to the auth routes, stored only as a hash', async () => {
    const res = await t.request('/api/v1/auth/login', {
      method: 'POST',
      json: { email: 'scheduler@tautline.test', password: DEMO_PASSWORD },
    });
    const { value, attributes } = refreshCookie(res);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(
      expect.arrayContaining(['Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict']),
    );
    // Plain http outside production: a browser would drop a Secure cookie here.
    expect(attributes).not.toContain('Secure');
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))!.split('=')[1]);
    expect(maxAge).toBeGreaterThan(59 * 60);
    expect(maxAge).toBeLessThanOrEqual(60 * 60);

    const body = LoginResponse.parse(await res.json());
    const end = Date.parse(body.sessionExpiresAt);
    expect(end).toBeGreaterThan(Date.now() + 11.9 * 3_600_000);
    expect(end).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const [row] = await rows(value);
    expect(row).toMatchObject({ user_id: body.user.id, role: 'scheduler', revoked_at: null });
    const stored = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM auth_sessions WHERE encode(token_hash, 'escape') LIKE $1`,
      [`%${value}%`],
    );
    expect(stored[0].n).toBe(0);
    const audit = await t.db.dataSource.query(
      `SELECT action FROM audit_events WHERE actor_user_id = $1 AND action = 'auth.login'`,
      [body.user.id],
    );
    expect(audit.length).toBeGreaterThan(0);
  });

  it('rotates: a new access token for the same user and a new cookie, the old one replaced', async () => {
    const { body, cookie } = await signIn('supervisor@tautline.test');
    const res = await refresh(cookie);
    expect(res.status).toBe(200);
    const renewed = LoginResponse.parse(await res.json());
    expect(renewed.user).toEqual(body.user);
    expect(renewed.sessionExpiresAt).toBe(body.sessionExpiresAt);
    expect(renewed.expiresIn).toBe(60);
    const next = refreshCookie(res).value;
    expect(next).not.toBe(cookie);
    const [old] = await rows(cookie);
    const [fresh] = await rows(next);
    expect(old.replaced_by).toBe(fresh.id);
    expect(fresh.family_id).toBe(old.family_id);
    // The new access token works.
    const me = await t.request('/api/v1/clinics', { token: renewed.accessToken });
    expect(me.status).toBe(200);
    // A refresh of the new token rotates again.
    expect((await refresh(next)).status).toBe(200);
  });

  it('answers a superseded token within the grace with 401, keeping the family', async () => {
    const { cookie } = await signIn('scheduler@tautline.test');
    const [first, second] = await Promise.all([refresh(cookie), refresh(cookie)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 401]);
    const loser = first.status === 401 ? first : second;
    expect((await loser.json()).detail).toBe(
      'the refresh token was just renewed by another request',
    );
    // The browser keeps the winner's cookie: the loser's answer must not clear it.
    expect(loser.headers.getSetCookie()).toEqual([]);
    const winner = first.status === 200 ? first : second;
    expect((await refresh(refreshCookie(winner).value)).status).toBe(200);
  });

  it('treats reuse of a rotated token after the grace as theft: the whole family is revoked', async () => {
    const { cookie, body } = await signIn('practitioner@tautline.test');
    const res = await refresh(cookie);
    const next = refreshCookie(res).value;
    // Age the rotation past the grace instead of waiting for it.
    await t.db.dataSource.query(
      `UPDATE auth_sessions SET last_used_at = last_used_at - $2::interval WHERE token_hash = $1`,
      [
        createHash('sha256').update(cookie).digest(),
        `${REFRESH_REUSE_GRACE_MS + 1000} milliseconds`,
      ],
    );
    const reuse = await refresh(cookie);
    expect(reuse.status).toBe(401);
    expect(reuse.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refreshCookie(reuse)).toMatchObject({ value: '' });
    // The thief's and the owner's tokens alike are dead.
    expect((await refresh(next)).status).toBe(401);
    const [row] = await rows(next);
    expect(row.revoke_reason).toBe('reuse');
    const audit = await t.db.dataSource.query(
      `SELECT outcome FROM audit_events WHERE action = 'auth.refresh_reuse' AND subject_id = $1`,
      [body.user.id],
    );
    expect(audit).toEqual([{ outcome: 'denied' }]);
  });

  it('refuses a deactivated user and a changed role, ending the session', async () => {
    const admin = await signIn('admin@tautline.test');
    await t.db.dataSource.query(`UPDATE users SET role = 'scheduler' WHERE id = $1`, [
      admin.body.user.id,
    ]);
    expect((await refresh(admin.cookie)).status).toBe(401);
    expect((await rows(admin.cookie))[0].revoke_reason).toBe('role_changed');
    await t.db.dataSource.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [
      admin.body.user.id,
    ]);

    const other = await t.db.dataSource.query(
      `SELECT email FROM users WHERE organisation_id <> $1 LIMIT 1`,
      [t.demo.organisationId],
    );
    const email: string = other[0]?.email ?? 'scheduler@tautline.test';
    const signedIn = await signIn(email);
    await t.db.dataSource.query(`UPDATE users SET active = false WHERE email = $1`, [email]);
    const res = await refresh(signedIn.cookie);
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toBe('the sign-in session has ended; sign in again');
    expect((await rows(signedIn.cookie))[0].revoke_reason).toBe('user_inactive');
    await t.db.dataSource.query(`UPDATE users SET active = true WHERE email = $1`, [email]);
  });

  it('ends at the absolute limit and after idling, whatever the activity', async () => {
    const { cookie } = await signIn('scheduler@tautline.test');
    await t.db.dataSource.query(
      `UPDATE auth_sessions SET absolute_expires_at = now() - interval '1 second',
                                idle_expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [createHash('sha256').update(cookie).digest()],
    );
    expect((await refresh(cookie)).status).toBe(401);
    expect((await rows(cookie))[0].revoke_reason).toBe('expired');

    const idle = await signIn('scheduler@tautline.test');
    await t.db.dataSource.query(
      `UPDATE auth_sessions SET idle_expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [createHash('sha256').update(idle.cookie).digest()],
    );
    expect((await refresh(idle.cookie)).status).toBe(401);
  });

  it('never renews past the absolute end: the access token is cut to what is left', async () => {
    const { cookie } = await signIn('scheduler@tautline.test');
    await t.db.dataSource.query(
      `UPDATE auth_sessions SET absolute_expires_at = now() + interval '20 seconds',
                                idle_expires_at = now() + interval '20 seconds' WHERE token_hash = $1`,
      [createHash('sha256').update(cookie).digest()],
    );
    const res = await refresh(cookie);
    const body = LoginResponse.parse(await res.json());
    expect(body.expiresIn).toBeLessThanOrEqual(20);
    expect(Date.parse(body.sessionExpiresAt)).toBeLessThanOrEqual(Date.now() + 20_000);
  });

  it('logout ends the family and clears the cookie; unknown or absent cookies are a quiet 204', async () => {
    const { cookie, body } = await signIn('supervisor@tautline.test');
    const next = refreshCookie(await refresh(cookie)).value;
    const res = await t.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: `tautline_refresh=${next}` },
    });
    expect(res.status).toBe(204);
    expect(refreshCookie(res)).toMatchObject({ value: '' });
    expect(refreshCookie(res).attributes).toContain('Max-Age=0');
    expect((await refresh(next)).status).toBe(401);
    expect((await rows(next))[0].revoke_reason).toBe('logout');
    const audit = await t.db.dataSource.query(
      `SELECT 1 FROM audit_events WHERE action = 'auth.logout' AND subject_id = $1`,
      [body.user.id],
    );
    expect(audit).toHaveLength(1);
    for (const headers of [
      {} as Record<string, string>,
      { cookie: 'tautline_refresh=' + 'A'.repeat(43) },
    ]) {
      const quiet = await t.request('/api/v1/auth/logout', { method: 'POST', headers });
      expect(quiet.status).toBe(204);
    }
  });

  it('answers a missing, malformed or unknown cookie with a 401 problem, never a 500', async () => {
    for (const cookie of [undefined, 'x', 'A'.repeat(43), '%%%; ;;=', 'A'.repeat(5000)]) {
      const res = await refresh(cookie);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('a refresh token only ever yields its own user (tenancy)', async () => {
    const a = await signIn('scheduler@tautline.test');
    const b = await signIn('supervisor@tautline.test');
    const ra = LoginResponse.parse(await (await refresh(a.cookie)).json());
    const rb = LoginResponse.parse(await (await refresh(b.cookie)).json());
    expect(ra.user.id).toBe(a.body.user.id);
    expect(rb.user.id).toBe(b.body.user.id);
    const [, payload] = ra.accessToken.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).sub).toBe(a.body.user.id);
    // A bearer token is no refresh token: the route reads the cookie only.
    const bearer = await t.request('/api/v1/auth/refresh', {
      method: 'POST',
      token: rb.accessToken,
    });
    expect(bearer.status).toBe(401);
  });
});

describe('refresh rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth-refresh-limit', { AUTH_REFRESH_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After beyond the per-minute refresh limit, login unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push(
        (
          await t.request('/api/v1/auth/refresh', {
            method: 'POST',
            headers: { cookie: 'tautline_refresh=' + 'B'.repeat(43) },
          })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await t.request('/api/v1/auth/refresh', { method: 'POST' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await t.login('scheduler@tautline.test')).toEqual(expect.any(String));
  });
});
