import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import { type Redis } from 'ioredis';

/** A Redis key prefix of its own for one test file, so files share one Redis without meeting. */
export function testRedisPrefix(label: string): string {
  return `t-${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 16)}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface ThrowawayRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * A private real `redis-server` with a given eviction policy, so the shared one is never reconfigured.
 * `appendonly` turns AOF on (`appendfsync everysec`, files in a temporary directory); `args` are
 * more `redis-server` flags (e.g. `--rename-command CONFIG ""`, as managed services do).
 */
export async function startThrowawayRedis(
  maxmemoryPolicy: string,
  options: { appendonly?: boolean; args?: string[] } = {},
): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = options.appendonly ? mkdtempSync(join(tmpdir(), 'tl-redis-')) : null;
  const aof = dir ? ['--appendfsync', 'everysec', '--dir', dir] : [];
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      options.appendonly ? 'yes' : 'no',
      ...aof,
      '--maxmemory-policy',
      maxmemoryPolicy,
      ...(options.args ?? []),
    ],
    { stdio: 'ignore' },
  );
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (reachable) return { url: `redis://127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('redis-server did not start');
}
