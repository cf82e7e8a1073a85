import { type LoginResponse } from '@tautline/domain';
import { clearSession, loadSession, saveSession, sessionFromLogin } from './auth.session';

const response: LoginResponse = {
  accessToken: 'tok',
  expiresIn: 900,
  sessionExpiresAt: '2026-03-09T22:00:00.000Z',
  user: {
    id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
    email: 'sam@clinic.test',
    name: 'Sam',
    role: 'scheduler',
    organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
    clinicIds: [],
  },
};

beforeEach(() => sessionStorage.clear());

describe('session storage', () => {
  const now = Date.parse('2026-03-09T10:00:00Z');

  it('round-trips a session while its sign-in lasts, even past the access token', () => {
    const session = sessionFromLogin(response, now);
    expect(session.expiresAt).toBe(now + 900_000);
    expect(session.sessionExpiresAt).toBe(Date.parse('2026-03-09T22:00:00Z'));
    saveSession(session);
    // The access token has ended, the sign-in has not: the renewal takes it from here.
    expect(loadSession(sessionStorage, now + 900_000)).toEqual(session);
    expect(loadSession(sessionStorage, Date.parse('2026-03-09T22:00:00Z'))).toBeNull();
    // The expired entry is gone, not just ignored.
    expect(sessionStorage.length).toBe(0);
  });

  it('renews a minute before the end, or at three quarters of a short lifetime', () => {
    expect(sessionFromLogin(response, now).renewAt).toBe(now + 840_000);
    expect(sessionFromLogin({ ...response, expiresIn: 8 }, now).renewAt).toBe(now + 6_000);
  });

  it('drops an unreadable entry', () => {
    sessionStorage.setItem('tautline.session', '{"accessToken":');
    expect(loadSession(sessionStorage, now)).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('clears on sign out', () => {
    saveSession(sessionFromLogin(response, now));
    clearSession();
    expect(loadSession(sessionStorage, now)).toBeNull();
  });
});
