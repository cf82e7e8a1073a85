import { useAuth } from '../auth/auth.context';
import { SignInPage } from '../auth/auth.sign-in-page';
import { Shell } from './shell.layout';

export function App() {
  const { session, notice, signIn, signOut, expire } = useAuth();
  if (!session) return <SignInPage notice={notice} onSignedIn={signIn} />;
  // Keyed by token: a new sign-in starts from a clean selection, notices and socket.
  return (
    <Shell key={session.accessToken} session={session} onSignOut={signOut} onExpired={expire} />
  );
}
