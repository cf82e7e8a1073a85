/**
 * Rules of a sign-in session (the refresh token behind the httpOnly cookie). Pure: the API's
 * auth-sessions service reads the row under a lock, asks here, and writes what is decided.
 */

/** A second tab presenting the token another tab rotated this recently is told 401, not treated as theft. */
export const REFRESH_REUSE_GRACE_MS = 10_000;

export interface RefreshTokenState {
  revokedAt: Date | null;
  /** Set once the token was exchanged for a newer one. */
  replacedBy: string | null;
  /** When the token was last exchanged (its rotation time once replaced). */
  lastUsedAt: Date | null;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export type RefreshDecision =
  | { action: 'rotate'; idleExpiresAt: Date; absoluteExpiresAt: Date }
  /** Nothing to write: the answer is 401. */
  | { action: 'refuse'; reason: 'revoked' | 'superseded' }
  /** The session ran out: mark it so, answer 401. */
  | { action: 'expire' }
  /** A replaced token came back after the grace: someone holds a copy, end every token of the family. */
  | { action: 'revoke-family'; reason: 'reuse' };

export function decideRefresh(
  token: RefreshTokenState,
  now: Date,
  idleTimeoutMs: number,
  graceMs = REFRESH_REUSE_GRACE_MS,
): RefreshDecision {
  if (token.revokedAt) return { action: 'refuse', reason: 'revoked' };
  if (token.replacedBy) {
    const rotatedAt = token.lastUsedAt?.getTime() ?? 0;
    return now.getTime() - rotatedAt <= graceMs
      ? { action: 'refuse', reason: 'superseded' }
      : { action: 'revoke-family', reason: 'reuse' };
  }
  if (now >= token.absoluteExpiresAt || now >= token.idleExpiresAt) return { action: 'expire' };
  return {
    action: 'rotate',
    idleExpiresAt: new Date(
      Math.min(now.getTime() + idleTimeoutMs, token.absoluteExpiresAt.getTime()),
    ),
    absoluteExpiresAt: token.absoluteExpiresAt,
  };
}

/** A new sign-in session: idle and absolute ends from the moment the password was checked. */
export function newSessionWindow(
  now: Date,
  idleTimeoutMs: number,
  maxAgeMs: number,
): { idleExpiresAt: Date; absoluteExpiresAt: Date } {
  const absoluteExpiresAt = new Date(now.getTime() + maxAgeMs);
  return {
    idleExpiresAt: new Date(Math.min(now.getTime() + idleTimeoutMs, absoluteExpiresAt.getTime())),
    absoluteExpiresAt,
  };
}
