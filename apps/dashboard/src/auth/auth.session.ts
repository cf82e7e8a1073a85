import { UserProfile, type LoginResponse } from '@tautline/domain';
import { z } from 'zod';

/** What survives a page reload: sessionStorage, so closing the tab signs the user out. */
export const Session = z.object({
  accessToken: z.string().min(1),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  user: UserProfile,
});
export type Session = z.infer<typeof Session>;

const STORAGE_KEY = 'tautline.session';

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired, please sign in again';

export function sessionFromLogin(response: LoginResponse, now = Date.now()): Session {
  return {
    accessToken: response.accessToken,
    expiresAt: now + response.expiresIn * 1000,
    user: response.user,
  };
}

export function loadSession(storage: Storage = sessionStorage, now = Date.now()): Session | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = Session.safeParse(JSON.parse(raw));
    if (parsed.success && parsed.data.expiresAt > now) return parsed.data;
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
