import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Env, loadEnv } from '@tautline/config';
import {
  createTestDatabase,
  DEMO_PASSWORD,
  seedDemo,
  type SeededDemo,
  type TestDatabase,
} from '@tautline/db';
import { createRedisConnection, deleteKeysWithPrefix, testRedisPrefix } from '@tautline/queues';
import { PassThrough } from 'node:stream';
import { createApp } from '../app.factory';

/** A fetch Response whose JSON is loosely typed, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  env: Env;
  db: TestDatabase;
  demo: SeededDemo;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  login(email: string, password?: string): Promise<string>;
  request(
    path: string,
    init?: RequestInit & { token?: string; json?: unknown },
  ): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Per-minute limits no functional spec reaches (rate limiting has its own spec). */
export const GENEROUS_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_SLOTS_PER_MINUTE: '100000',
  RATE_LIMIT_BOOKINGS_PER_MINUTE: '100000',
  RATE_LIMIT_NOTICES_PER_MINUTE: '100000',
  RATE_LIMIT_PATIENT_SEARCH_PER_MINUTE: '100000',
  RATE_LIMIT_PATIENT_LINK_SLOTS_PER_MINUTE: '100000',
};

/**
 * The real API on a free port, against a database and Redis key prefix of its own
 * (real PostgreSQL and Redis; nothing mocked), with the demo organisation seeded.
 */
export async function startTestApp(
  label: string,
  overrides: Record<string, string> = {},
  /** Lets a test route the app's database connection (e.g. through a relay it can stop). */
  appDatabaseUrl: (url: string) => string = (url) => url,
): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const demo = await seedDemo(db.dataSource);
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: appDatabaseUrl(db.url),
    REDIS_PREFIX: testRedisPrefix(label),
    API_PORT: '0',
    // Specs fire many requests as one user; the rate-limit spec sets its own small limits.
    ...GENEROUS_RATE_LIMITS,
    ...overrides,
  });
  const logs: Record<string, unknown>[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
  });
  const app = await createApp(env, { logStream });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;

  const request: TestApp['request'] = (path, init = {}) => {
    const { token, json, headers, ...rest } = init;
    return fetch(`${url}${path}`, {
      ...rest,
      headers: {
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(headers as Record<string, string>),
      },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  };

  return {
    app,
    url,
    env,
    db,
    demo,
    logs,
    request,
    async login(email, password = DEMO_PASSWORD) {
      const res = await request('/api/v1/auth/login', {
        method: 'POST',
        json: { email, password },
      });
      if (res.status !== 200)
        throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    },
    async close() {
      await app.close();
      // The test's own connection: the app's REDIS_URL may point at a relay the test has stopped.
      const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      await deleteKeysWithPrefix(redis, env.REDIS_PREFIX);
      redis.disconnect();
      await db.drop();
    },
  };
}
