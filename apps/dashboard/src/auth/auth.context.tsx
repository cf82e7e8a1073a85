import { type LoginResponse } from '@tautline/domain';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import {
  clearSession,
  loadSession,
  saveSession,
  sessionFromLogin,
  SESSION_EXPIRED_MESSAGE,
  type Session,
} from './auth.session';

export interface AuthValue {
  session: Session | null;
  /** Why the user is back on the sign-in page, if not by choice. */
  notice: string | null;
  signIn(response: LoginResponse): void;
  signOut(): void;
  /** The server rejected the token: drop it and explain. */
  expire(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

// setTimeout overflows above 2^31-1 ms and would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  const end = useCallback(
    (why: string | null) => {
      clearSession();
      // Cached server data belongs to the user who just left.
      queryClient.clear();
      setSession(null);
      setNotice(why);
    },
    [queryClient],
  );

  const value = useMemo<AuthValue>(
    () => ({
      session,
      notice,
      signIn(response) {
        const next = sessionFromLogin(response);
        saveSession(next);
        setNotice(null);
        setSession(next);
      },
      signOut: () => end(null),
      expire: () => end(SESSION_EXPIRED_MESSAGE),
    }),
    [session, notice, end],
  );

  // Leave before the server starts answering 401s.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(
      () => end(SESSION_EXPIRED_MESSAGE),
      Math.min(MAX_TIMER_MS, session.expiresAt - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [session, end]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
