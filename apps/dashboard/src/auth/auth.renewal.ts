import { type LoginResponse } from '@tautline/domain';
import { ApiProblemError } from '../http/http.problem';

/**
 * - `renewed`: a new access token;
 * - `ended`: the server refused the sign-in session (revoked, expired, user deactivated): only the
 *   password helps;
 * - `unreachable`: no answer (network, outage, rate limit): try again shortly, nothing is lost yet.
 */
export type RenewalOutcome =
  | { kind: 'renewed'; response: LoginResponse }
  | { kind: 'ended' }
  | { kind: 'unreachable' };

/** How soon to try again after an unreachable server. */
export const RENEW_RETRY_MS = 5_000;
/** The server says "superseded" when another tab renewed the same cookie a moment ago. */
const SUPERSEDED_RETRY_MS = 300;

export interface RenewerOptions {
  refresh(): Promise<LoginResponse>;
  /** Serialises renewals across tabs (the cookie is shared); `navigator.locks` where available. */
  lock?: <T>(run: () => Promise<T>) => Promise<T>;
  sleep?: (ms: number) => Promise<void>;
}

/** The browser's cross-tab lock, or none (jsdom, old browsers): each tab then renews on its own. */
export function browserLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('tautline.auth.refresh', run) as Promise<T>) : run();
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One renewal at a time: every caller during a renewal (the scheduler, each request refused with
 * 401, the socket) shares its outcome instead of rotating the cookie again.
 */
export function createRenewer({ refresh, lock = browserLock, sleep = wait }: RenewerOptions) {
  let inFlight: Promise<RenewalOutcome> | null = null;

  const attempt = async (): Promise<RenewalOutcome> => {
    for (let tries = 0; ; tries += 1) {
      try {
        return { kind: 'renewed', response: await refresh() };
      } catch (error) {
        if (!(error instanceof ApiProblemError)) return { kind: 'unreachable' };
        const { status } = error.problem;
        // Once more when another tab won the race: the browser now holds its newer cookie.
        if (status === 401 && tries === 0) {
          await sleep(SUPERSEDED_RETRY_MS);
          continue;
        }
        if (status === 401 || status === 404 || status === 403) return { kind: 'ended' };
        return { kind: 'unreachable' };
      }
    }
  };

  return function renew(): Promise<RenewalOutcome> {
    inFlight ??= lock(attempt).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

/** When to try the next renewal: at `renewAt`, at once when overdue. */
export function renewalDelay(renewAt: number, now = Date.now()): number {
  return Math.max(0, renewAt - now);
}

/** The warning before the absolute end: from 10 minutes before, until the end. */
export const SESSION_END_WARNING_MS = 10 * 60_000;

export function sessionEndsSoon(sessionExpiresAt: number, now = Date.now()): boolean {
  return sessionExpiresAt - now <= SESSION_END_WARNING_MS;
}
