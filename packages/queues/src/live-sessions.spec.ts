import { createRedisConnection } from './redis-connection';
import { LiveSessionStore } from './live-sessions';
import { deleteKeysWithPrefix, testRedisPrefix } from './testing';

// The `(updateEpoch, updateSeq)` counter on real Redis, from two connections as two processes would.
describe('LiveSessionStore update stamps', () => {
  const prefix = testRedisPrefix('live-stamps');
  const one = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const two = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const worker = new LiveSessionStore(one, prefix);
  const api = new LiveSessionStore(two, prefix);
  afterAll(async () => {
    await deleteKeysWithPrefix(one, prefix);
    one.disconnect();
    two.disconnect();
  });

  it('counts 1, 2, … under one epoch, whichever process asks', async () => {
    const stamps = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? worker : api).nextUpdate('s1')),
    );
    expect(new Set(stamps.map((s) => s.updateEpoch)).size).toBe(1);
    expect(stamps.map((s) => s.updateSeq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    // A snapshot reads where it stands without counting.
    expect((await api.currentUpdates(['s1'])).get('s1')).toEqual({
      updateEpoch: stamps[0]!.updateEpoch,
      updateSeq: 40,
    });
  });

  it('starts a later epoch from 1 once Redis lost the counter; a snapshot first sees seq 0', async () => {
    const before = await worker.nextUpdate('s2');
    await new Promise((r) => setTimeout(r, 5));
    await deleteKeysWithPrefix(one, prefix);
    const snapshot = (await api.currentUpdates(['s2'])).get('s2')!;
    expect(snapshot.updateSeq).toBe(0);
    expect(snapshot.updateEpoch).toBeGreaterThan(before.updateEpoch);
    expect(await worker.nextUpdate('s2')).toEqual({
      updateEpoch: snapshot.updateEpoch,
      updateSeq: 1,
    });
  });

  it('forgets the counter with the session', async () => {
    const first = await worker.nextUpdate('s3');
    await worker.clear('s3');
    await new Promise((r) => setTimeout(r, 5));
    const next = await worker.nextUpdate('s3');
    expect(next.updateSeq).toBe(1);
    expect(next.updateEpoch).toBeGreaterThan(first.updateEpoch);
  });
});
