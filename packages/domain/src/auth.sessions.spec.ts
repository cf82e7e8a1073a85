import { decideRefresh, newSessionWindow, REFRESH_REUSE_GRACE_MS } from './auth.sessions';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const live = {
  revokedAt: null,
  replacedBy: null,
  lastUsedAt: null,
  idleExpiresAt: at('2026-03-02T10:00:00Z'),
  absoluteExpiresAt: at('2026-03-02T19:00:00Z'),
};

describe('decideRefresh', () => {
  it('rotates a live token and slides the idle end, never past the absolute end', () => {
    expect(decideRefresh(live, at('2026-03-02T09:30:00Z'), HOUR)).toEqual({
      action: 'rotate',
      idleExpiresAt: at('2026-03-02T10:30:00Z'),
      absoluteExpiresAt: live.absoluteExpiresAt,
    });
    const late = { ...live, idleExpiresAt: at('2026-03-02T19:00:00Z') };
    const decision = decideRefresh(late, at('2026-03-02T18:30:00Z'), HOUR);
    expect(decision).toMatchObject({ idleExpiresAt: at('2026-03-02T19:00:00Z') });
  });

  it('expires a token idle too long or past the absolute end', () => {
    expect(decideRefresh(live, at('2026-03-02T10:00:00Z'), HOUR)).toEqual({ action: 'expire' });
    const active = { ...live, idleExpiresAt: at('2026-03-02T19:00:00Z') };
    expect(decideRefresh(active, at('2026-03-02T19:00:01Z'), HOUR)).toEqual({ action: 'expire' });
  });

  it('refuses a revoked token', () => {
    const revoked = { ...live, revokedAt: at('2026-03-02T09:00:00Z') };
    expect(decideRefresh(revoked, at('2026-03-02T09:01:00Z'), HOUR)).toEqual({
      action: 'refuse',
      reason: 'revoked',
    });
  });

  it('treats a replaced token as theft after the grace, as a concurrent tab within it', () => {
    const rotated = { ...live, replacedBy: 'next', lastUsedAt: at('2026-03-02T09:00:00Z') };
    const within = new Date(rotated.lastUsedAt.getTime() + REFRESH_REUSE_GRACE_MS);
    expect(decideRefresh(rotated, within, HOUR)).toEqual({
      action: 'refuse',
      reason: 'superseded',
    });
    const after = new Date(within.getTime() + 1);
    expect(decideRefresh(rotated, after, HOUR)).toEqual({
      action: 'revoke-family',
      reason: 'reuse',
    });
  });
});

describe('newSessionWindow', () => {
  it('starts both ends from sign-in, idle capped by the absolute end', () => {
    const now = at('2026-03-02T07:00:00Z');
    expect(newSessionWindow(now, HOUR, 12 * HOUR)).toEqual({
      idleExpiresAt: at('2026-03-02T08:00:00Z'),
      absoluteExpiresAt: at('2026-03-02T19:00:00Z'),
    });
    expect(newSessionWindow(now, 2 * HOUR, HOUR).idleExpiresAt).toEqual(at('2026-03-02T08:00:00Z'));
  });
});
