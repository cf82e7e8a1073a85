import { type LoginResponse } from '@tautline/domain';
import { ApiProblemError, NETWORK_PROBLEM } from '../http/http.problem';
import { createRenewer, renewalDelay, sessionEndsSoon } from './auth.renewal';

const response = { accessToken: 'tok-2' } as LoginResponse;
const problem = (status: number) =>
  new ApiProblemError({ type: 'about:blank', title: 'x', status, detail: 'x' });
const noLock = <T>(run: () => Promise<T>) => run();
const noSleep = () => Promise.resolve();

describe('createRenewer', () => {
  it('shares one refresh among every caller while it runs (single-flight)', async () => {
    let release: (r: LoginResponse) => void = () => undefined;
    const refresh = jest.fn(() => new Promise<LoginResponse>((resolve) => (release = resolve)));
    const renew = createRenewer({ refresh, lock: noLock, sleep: noSleep });
    const calls = [renew(), renew(), renew()];
    release(response);
    const outcomes = await Promise.all(calls);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(outcomes).toEqual([0, 1, 2].map(() => ({ kind: 'renewed', response })));
    // The next renewal is a new refresh.
    refresh.mockResolvedValueOnce(response);
    await renew();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('tries once more after a 401 (another tab may have just rotated the cookie), then gives up', async () => {
    const superseded = jest
      .fn<Promise<LoginResponse>, []>()
      .mockRejectedValueOnce(problem(401))
      .mockResolvedValueOnce(response);
    expect(await createRenewer({ refresh: superseded, lock: noLock, sleep: noSleep })()).toEqual({
      kind: 'renewed',
      response,
    });
    const ended = jest.fn<Promise<LoginResponse>, []>().mockRejectedValue(problem(401));
    expect(await createRenewer({ refresh: ended, lock: noLock, sleep: noSleep })()).toEqual({
      kind: 'ended',
    });
    expect(ended).toHaveBeenCalledTimes(2);
  });

  it('tells an unreachable server (network, outage, rate limit) from an ended session', async () => {
    for (const error of [new ApiProblemError(NETWORK_PROBLEM), problem(503), problem(429)]) {
      const refresh = jest.fn<Promise<LoginResponse>, []>().mockRejectedValue(error);
      expect(await createRenewer({ refresh, lock: noLock, sleep: noSleep })()).toEqual({
        kind: 'unreachable',
      });
    }
  });

  it('runs the refresh inside the cross-tab lock', async () => {
    const order: string[] = [];
    const lock = async <T>(run: () => Promise<T>) => {
      order.push('locked');
      const result = await run();
      order.push('released');
      return result;
    };
    const refresh = jest.fn(async () => {
      order.push('refresh');
      return response;
    });
    await createRenewer({ refresh, lock, sleep: noSleep })();
    expect(order).toEqual(['locked', 'refresh', 'released']);
  });
});

describe('renewal timing', () => {
  const now = Date.parse('2026-03-09T18:00:00Z');
  it('renews at renewAt, at once when overdue', () => {
    expect(renewalDelay(now + 5_000, now)).toBe(5_000);
    expect(renewalDelay(now - 5_000, now)).toBe(0);
  });
  it('warns from ten minutes before the absolute end', () => {
    expect(sessionEndsSoon(now + 11 * 60_000, now)).toBe(false);
    expect(sessionEndsSoon(now + 10 * 60_000, now)).toBe(true);
  });
});
