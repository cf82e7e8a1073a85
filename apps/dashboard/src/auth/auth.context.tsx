import { type LoginResponse } from '@tautline/domain';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { setTokenSource } from '../http/http.client';
import { useApiOrigin } from '../http/http.origin';
import { logout, refresh } from './auth.api';
import { createRenewer, renewalDelay, RENEW_RETRY_MS } from './auth.renewal';
import {
  clearSession,
  loadSession,
  saveSession,
  sessionFromLogin,
  type Session,
} from './auth.session';

/**
 * Why the re-authentication dialog is open: `ended` — the session can no longer be renewed;
 * `requested` — the user chose to sign in again before the absolute end.
 */
export type Reauth = 'ended' | 'requested' | null;

export interface AuthValue {
  session: Session | null;
  /** Why the user is back on the sign-in page, if not by choice. */
  notice: string | null;
  reauth: Reauth;
  signIn(response: LoginResponse): void;
  signOut(): void;
  /** A request or the socket was refused: renew, and if that is impossible ask for the password. */
  expire(): void;
  /** The password was entered again for the same user (the dialog): carry on where we were. */
  reauthenticated(response: LoginResponse): void;
  requestReauth(): void;
  dismissReauth(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

// setTimeout overflows above 2^31-1 ms and would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Holds the session and keeps it alive: a renewal is scheduled shortly before each access token
 * ends, and any 401 renews once (single-flight) before the request is retried. When renewal is
 * impossible the page is never left: `reauth` opens a password dialog over it.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const origin = useApiOrigin();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);
  const [reauth, setReauth] = useState<Reauth>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const reauthRef = useRef(reauth);
  reauthRef.current = reauth;

  /** Continues the current session (renewal, password again) or starts one (sign-in page). */
  const adopt = useCallback((response: LoginResponse, fresh = false) => {
    const next = sessionFromLogin(response, Date.now(), fresh ? null : sessionRef.current);
    saveSession(next);
    sessionRef.current = next;
    setSession(next);
    return next;
  }, []);

  const renewer = useMemo(() => createRenewer({ refresh: () => refresh(origin) }), [origin]);

  /** The current token, renewed first if `stale` is (or null if the session cannot go on). */
  const renew = useCallback(
    async (stale?: string): Promise<string | null> => {
      const current = sessionRef.current;
      // Already known to be over: only the password dialog can help, no need to ask the server again.
      if (!current || reauthRef.current === 'ended') return null;
      if (stale && current.accessToken !== stale && current.expiresAt > Date.now())
        return current.accessToken;
      const outcome = await renewer();
      if (!sessionRef.current) return null;
      if (outcome.kind === 'renewed') {
        // Same person only: another user's sign-in in another tab does not leak into this one.
        if (outcome.response.user.id !== sessionRef.current.user.id) {
          setReauth('ended');
          return null;
        }
        return adopt(outcome.response).accessToken;
      }
      if (outcome.kind === 'ended') setReauth('ended');
      return null;
    },
    [renewer, adopt],
  );

  // Every request of this session uses its newest token; a 401 goes through the same renewal.
  // A layout effect: installed before any view's (passive) effect starts a request.
  const signedIn = session !== null;
  useLayoutEffect(() => {
    if (!signedIn) return;
    const issued = new Set<string>();
    return setTokenSource({
      current(token) {
        const s = sessionRef.current;
        if (!s) return undefined;
        issued.add(s.accessToken);
        return token === s.viewToken || issued.has(token) ? s.accessToken : undefined;
      },
      renew,
    });
  }, [signedIn, renew]);

  // Background renewal shortly before the token ends; an unreachable server is asked again later.
  const [retryAt, setRetryAt] = useState(0);
  useEffect(() => {
    if (!session || reauth === 'ended') return;
    const delay = Math.max(renewalDelay(session.renewAt), retryAt - Date.now());
    const timer = setTimeout(
      () => {
        void renew().then((token) => {
          if (token === null) setRetryAt(Date.now() + RENEW_RETRY_MS);
        });
      },
      Math.min(MAX_TIMER_MS, delay),
    );
    return () => clearTimeout(timer);
  }, [session, reauth, renew, retryAt]);

  const end = useCallback(
    (why: string | null) => {
      clearSession();
      sessionRef.current = null;
      // Cached server data belongs to the user who just left.
      queryClient.clear();
      setSession(null);
      setReauth(null);
      setNotice(why);
    },
    [queryClient],
  );

  const value = useMemo<AuthValue>(
    () => ({
      session,
      notice,
      reauth,
      signIn(response) {
        setNotice(null);
        setReauth(null);
        adopt(response, true);
      },
      signOut() {
        // The server ends the refresh family; the page does not wait for it.
        void logout(origin).catch(() => undefined);
        end(null);
      },
      expire() {
        void renew(sessionRef.current?.accessToken);
      },
      reauthenticated(response) {
        adopt(response);
        setReauth(null);
        // Whatever failed while the token was gone is asked again; nothing on screen is dropped.
        void queryClient.invalidateQueries();
      },
      requestReauth: () => setReauth((r) => r ?? 'requested'),
      dismissReauth: () => setReauth((r) => (r === 'requested' ? null : r)),
    }),
    [session, notice, reauth, end, adopt, renew, origin, queryClient],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
