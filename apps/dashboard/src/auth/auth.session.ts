import { UserProfile, type LoginResponse } from '@tautline/domain';
import { z } from 'zod';

/** What survives a page reload: sessionStorage, so closing the tab signs the user out. */
export const Session = z.object({
  /** The newest access token (requests and the socket use it). */
  accessToken: z.string().min(1),
  /**
   * The token of the sign-in, kept through renewals: views key their caches on it, so a renewal
   * never looks like a new session to them (the HTTP client swaps in `accessToken`).
   */
  viewToken: z.string().min(1),
  /** Epoch milliseconds: the access token's end. */
  expiresAt: z.number(),
  /** Epoch milliseconds: when the background renewal asks for the next token. */
  renewAt: z.number(),
  /** Epoch milliseconds: the sign-in session's absolute end (the password is needed again). */
  sessionExpiresAt: z.number(),
  user: UserProfile,
});
export type Session = z.infer<typeof Session>;

const STORAGE_KEY = 'tautline.session';

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired, please sign in again';

/** Renew this long before the access token ends, or a quarter of its life if that is shorter. */
export const RENEW_LEAD_MS = 60_000;

/** `previous`: the session this renews (same user): its `viewToken` carries over. */
export function sessionFromLogin(
  response: LoginResponse,
  now = Date.now(),
  previous?: Session | null,
): Session {
  const lifetime = response.expiresIn * 1000;
  return {
    accessToken: response.accessToken,
    viewToken:
      previous && previous.user.id === response.user.id ? previous.viewToken : response.accessToken,
    expiresAt: now + lifetime,
    renewAt: now + lifetime - Math.min(RENEW_LEAD_MS, lifetime / 4),
    sessionExpiresAt: Date.parse(response.sessionExpiresAt),
    user: response.user,
  };
}

/**
 * A stored session is kept while its sign-in session lasts, even with an expired access token:
 * the renewal fetches a new one from the refresh cookie on load.
 */
export function loadSession(storage: Storage = sessionStorage, now = Date.now()): Session | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = Session.safeParse(JSON.parse(raw));
    if (parsed.success && parsed.data.sessionExpiresAt > now) return parsed.data;
  } catch {
    // Unreadable entries are dropped below, like expired ones.
  }
  storage.removeItem(STORAGE_KEY);
  return null;
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}
