import { InvalidConfigError, loadEnv } from './env';

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
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/SMS_WEBHOOK_SECRET/);
    expect(
      loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SMS_WEBHOOK_SECRET: 'y'.repeat(40) }).NODE_ENV,
    ).toBe('production');
  });

  it('defaults reminders to the log transports and refuses a provider timeout past the lease', () => {
    const env = loadEnv({});
    expect([env.EMAIL_TRANSPORT, env.SMS_TRANSPORT]).toEqual(['log', 'log']);
    expect(loadEnv({ SMTP_SECURE: 'true' }).SMTP_SECURE).toBe(true);
    expect(() => loadEnv({ MESSAGE_PROVIDER_TIMEOUT_MS: '5000', REMINDER_LEASE_MS: '5000' })).toThrow(
      /MESSAGE_PROVIDER_TIMEOUT_MS.*REMINDER_LEASE_MS/,
    );
  });

  it('defaults the live-session worker settings and bounds them', () => {
    const env = loadEnv({});
    expect([env.TELEMETRY_CONCURRENCY, env.LIVE_UPDATE_INTERVAL_MS, env.WATCHDOG_INTERVAL_MS]).toEqual([8, 250, 1000]);
    expect(loadEnv({ WATCHDOG_INTERVAL_MS: '200' }).WATCHDOG_INTERVAL_MS).toBe(200);
    expect(() => loadEnv({ TELEMETRY_CONCURRENCY: '0', LIVE_UPDATE_INTERVAL_MS: '5' })).toThrow(
      /TELEMETRY_CONCURRENCY[\s\S]*LIVE_UPDATE_INTERVAL_MS/,
    );
  });

  it('rejects a short JWT secret', () => {
    expect(() => loadEnv({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });
});
