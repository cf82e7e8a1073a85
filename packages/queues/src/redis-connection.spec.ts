import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { assertRedisNoEviction, createRedisConnection, RedisEvictionPolicyError } from './redis-connection';

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  return port;
}

/** A throwaway real Redis with a given eviction policy, so the shared one is never reconfigured. */
async function startRedis(policy: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', policy], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (reachable) return { url, proc };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start');
}

describe('assertRedisNoEviction', () => {
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(
      procs.map(async (p) => {
        const exited = once(p, 'exit');
        p.kill('SIGKILL');
        await exited;
      }),
    );
  });

  it('accepts a noeviction Redis', async () => {
    const { url, proc } = await startRedis('noeviction');
    procs.push(proc);
    const redis = createRedisConnection(url);
    await expect(assertRedisNoEviction(redis)).resolves.toBeUndefined();
    await redis.quit();
  });

  it('refuses an evicting Redis and says how to fix it', async () => {
    const { url, proc } = await startRedis('allkeys-lru');
    procs.push(proc);
    const redis = createRedisConnection(url);
    const failure = assertRedisNoEviction(redis);
    await expect(failure).rejects.toBeInstanceOf(RedisEvictionPolicyError);
    await expect(failure).rejects.toThrow(/allkeys-lru.*CONFIG SET maxmemory-policy noeviction/s);
    await redis.quit();
  });
});
