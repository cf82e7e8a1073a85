import { demoSecretsInUse, InvalidConfigError, isLoopbackHost, loadEnv } from './env';

describe('loadEnv', () => {
  it('gives working local defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/tautline');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.API_PORT).toBe(3000);
    expect(env.DASHBOARD_PORT).toBe(5173);
    expect(env.NODE_ENV).toBe('development');
    expect(env.CORS_ORIGINS).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });

  it('coerces numbers from strings', () => {
    const env = loadEnv({ API_PORT: '4100', JWT_TTL_SECONDS: '600' });
    expect(env.API_PORT).toBe(4100);
    expect(env.JWT_TTL_SECONDS).toBe(600);
  });

  it('bounds sign-in sessions: idle within the absolute limit, short access tokens only outside production', () => {
    const env = loadEnv({});
    expect(env.AUTH_IDLE_TIMEOUT_MINUTES).toBe(60);
    expect(env.AUTH_SESSION_MAX_HOURS).toBe(12);
    expect(loadEnv({ JWT_TTL_SECONDS: '8' }).JWT_TTL_SECONDS).toBe(8);
    expect(() =>
      loadEnv({ AUTH_IDLE_TIMEOUT_MINUTES: '180', AUTH_SESSION_MAX_HOURS: '2' }),
    ).toThrow(/AUTH_IDLE_TIMEOUT_MINUTES/);
    const secrets = { JWT_SECRET: 'x'.repeat(40), SMS_WEBHOOK_SECRET: 'y'.repeat(40) };
    expect(() => loadEnv({ NODE_ENV: 'production', ...secrets, JWT_TTL_SECONDS: '8' })).toThrow(
      /JWT_TTL_SECONDS/,
    );
  });

  it('names every invalid variable', () => {
    try {
      loadEnv({ API_PORT: 'abc', REDIS_URL: 'not a url', REDIS_PREFIX: 'bad prefix!' });
      throw new Error('expected loadEnv to throw');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidConfigError);
      const problems = (e as InvalidConfigError).problems.join('\n');
      expect(problems).toMatch(/API_PORT/);
      expect(problems).toMatch(/REDIS_URL/);
      expect(problems).toMatch(/REDIS_PREFIX/);
    }
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /SMS_WEBHOOK_SECRET/,
    );
    expect(
      loadEnv({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        SMS_WEBHOOK_SECRET: 'y'.repeat(40),
      }).NODE_ENV,
    ).toBe('production');
  });

  it('defaults reminders to the log transports and refuses a provider timeout past the lease', () => {
    const env = loadEnv({});
    expect([env.EMAIL_TRANSPORT, env.SMS_TRANSPORT]).toEqual(['log', 'log']);
    expect(loadEnv({ SMTP_SECURE: 'true' }).SMTP_SECURE).toBe(true);
    expect(() =>
      loadEnv({ MESSAGE_PROVIDER_TIMEOUT_MS: '5000', REMINDER_LEASE_MS: '5000' }),
    ).toThrow(/MESSAGE_PROVIDER_TIMEOUT_MS.*REMINDER_LEASE_MS/);
  });

  it('makes shutdown wait for a send in flight at least as long as one provider call may take', () => {
    expect(loadEnv({}).REMINDER_SHUTDOWN_GRACE_MS).toBeGreaterThanOrEqual(
      loadEnv({}).MESSAGE_PROVIDER_TIMEOUT_MS,
    );
    expect(() =>
      loadEnv({ MESSAGE_PROVIDER_TIMEOUT_MS: '5000', REMINDER_SHUTDOWN_GRACE_MS: '3000' }),
    ).toThrow(/REMINDER_SHUTDOWN_GRACE_MS: must be at least MESSAGE_PROVIDER_TIMEOUT_MS/);
  });

  it('defaults the live-session worker settings and bounds them', () => {
    const env = loadEnv({});
    expect([
      env.TELEMETRY_CONCURRENCY,
      env.LIVE_UPDATE_INTERVAL_MS,
      env.WATCHDOG_INTERVAL_MS,
    ]).toEqual([8, 250, 1000]);
    expect(loadEnv({ WATCHDOG_INTERVAL_MS: '200' }).WATCHDOG_INTERVAL_MS).toBe(200);
    expect(() => loadEnv({ TELEMETRY_CONCURRENCY: '0', LIVE_UPDATE_INTERVAL_MS: '5' })).toThrow(
      /TELEMETRY_CONCURRENCY[\s\S]*LIVE_UPDATE_INTERVAL_MS/,
    );
  });

  it('refuses every demo secret when the API is reachable from other machines, keeps them on loopback', () => {
    const own = { JWT_SECRET: 'x'.repeat(40), SMS_WEBHOOK_SECRET: 'y'.repeat(40) };
    for (const host of ['127.0.0.1', '127.8.0.1', 'localhost', '::1', '[::1]']) {
      expect(loadEnv({ API_HOST: host }).API_HOST).toBe(host);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'api.example.org', '128.0.0.1']) {
      expect(() => loadEnv({ API_HOST: host })).toThrow(
        /JWT_SECRET: .*API_HOST[\s\S]*SMS_WEBHOOK_SECRET/,
      );
      expect(loadEnv({ API_HOST: host, ...own }).API_HOST).toBe(host);
    }
    // The SMS provider's placeholder token only counts once messages really go out.
    expect(() => loadEnv({ API_HOST: '0.0.0.0', ...own, SMS_TRANSPORT: 'http' })).toThrow(
      /SMS_AUTH_TOKEN/,
    );
    expect(
      loadEnv({ API_HOST: '0.0.0.0', ...own, SMS_TRANSPORT: 'http', SMS_AUTH_TOKEN: 'real' })
        .SMS_TRANSPORT,
    ).toBe('http');
    expect(() => loadEnv({ NODE_ENV: 'production', ...own, SMS_TRANSPORT: 'http' })).toThrow(
      /SMS_AUTH_TOKEN/,
    );
  });

  it('names the demo secrets in use (for the start banner)', () => {
    expect(demoSecretsInUse(loadEnv({}))).toEqual(['JWT_SECRET', 'SMS_WEBHOOK_SECRET']);
    expect(
      demoSecretsInUse(loadEnv({ JWT_SECRET: 'x'.repeat(40), SMS_TRANSPORT: 'http' })),
    ).toEqual(['SMS_WEBHOOK_SECRET', 'SMS_AUTH_TOKEN']);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });

  it('trusts no proxy by default and only well-formed addresses or CIDRs', () => {
    expect(loadEnv({}).TRUSTED_PROXIES).toEqual([]);
    expect(
      loadEnv({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).TRUSTED_PROXIES,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/1', '1.2.3']) {
      expect(() => loadEnv({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });

  it('rejects a short JWT secret', () => {
    expect(() => loadEnv({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });
});
