import { createTestDatabase, seedDemo, type SeededDemo, type TestDatabase } from '@tautline/db';
import {
  createRedisConnection,
  deleteKeysWithPrefix,
  freePort,
  testRedisPrefix,
} from '@tautline/queues';

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Stack {
  apiUrl: string;
  databaseUrl: string;
  redisPrefix: string;
  db: TestDatabase;
  demo: SeededDemo;
  /** Kills the worker (SIGKILL by default), as a crash would. */
  killWorker(signal?: NodeJS.Signals): Promise<void>;
  startWorker(): Promise<void>;
  /** Everything the processes printed, for diagnosing a failure. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The built api and worker as real child processes on free ports, against a database of their own
 * (migrated, demo seeded) and a Redis key prefix of their own, exactly as `pnpm start` runs them.
 */
export interface StackOptions {
  /** Extra environment for both processes (transports, timings). */
  env?: Record<string, string>;
  /** A Redis of the test's own (e.g. a throwaway one it may FLUSHALL). */
  redisUrl?: string;
}

export async function startStack(label = 'stack', options: StackOptions = {}): Promise<Stack> {
  for (const app of ['api', 'worker']) {
    if (!existsSync(path.join(ROOT, 'apps', app, 'dist', 'main.js'))) {
      throw new Error(`apps/${app}/dist is missing: run \`pnpm turbo run build\` first`);
    }
  }
  const db = await createTestDatabase(label);
  const demo = await seedDemo(db.dataSource);
  const redisPrefix = testRedisPrefix(label);
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.STACK_LOG_LEVEL ?? 'warn',
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    // Whole-system tests and benchmarks book and search far faster than people do.
    RATE_LIMIT_SLOTS_PER_MINUTE: '100000',
    RATE_LIMIT_BOOKINGS_PER_MINUTE: '100000',
    RATE_LIMIT_NOTICES_PER_MINUTE: '100000',
    RATE_LIMIT_PATIENT_SEARCH_PER_MINUTE: '100000',
    RATE_LIMIT_PATIENT_LINK_SLOTS_PER_MINUTE: '100000',
    ...options.env,
  };
  let log = '';
  const run = (app: 'api' | 'worker'): ChildProcess => {
    const child = spawn(process.execPath, [path.join(ROOT, 'apps', app, 'dist', 'main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (log += `[${app}] ${d}`));
    child.stderr?.on('data', (d: Buffer) => (log += `[${app}] ${d}`));
    return child;
  };
  const stopChild = async (child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM') => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const api = run('api');
  let worker: ChildProcess | undefined = run('worker');
  const apiUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    await Promise.all([stopChild(api), stopChild(worker)]);
    const redis = createRedisConnection(redisUrl);
    await deleteKeysWithPrefix(redis, redisPrefix);
    redis.disconnect();
    await db.drop();
  };

  try {
    await waitForHealthy(apiUrl, api);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${log}`);
  }

  return {
    apiUrl,
    databaseUrl: db.url,
    redisPrefix,
    db,
    demo,
    output: () => log,
    killWorker: (signal = 'SIGKILL') => stopChild(worker, signal),
    async startWorker() {
      await stopChild(worker);
      worker = run('worker');
    },
    stop,
  };
}

async function waitForHealthy(apiUrl: string, api: ChildProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the api exited with code ${api.exitCode}`);
    try {
      if ((await fetch(`${apiUrl}/api/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the api was not healthy within ${ms} ms`);
}
