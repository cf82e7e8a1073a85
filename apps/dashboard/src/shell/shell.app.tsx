import { useAuth } from '../auth/auth.context';
import { ReauthDialog } from '../auth/auth.reauth-dialog';
import { SessionEndBanner } from '../auth/auth.session-banner';
import { SignInPage } from '../auth/auth.sign-in-page';
import { Shell } from './shell.layout';

export function App() {
  const auth = useAuth();
  const { session, notice, signIn, signOut, expire, reauth } = auth;
  if (!session) return <SignInPage notice={notice} onSignedIn={signIn} />;
  // Keyed by user, not token: a renewed token reaches the views as a prop (the socket renews in
  // place), so nothing on screen is unmounted; a different user starts from a clean shell.
  return (
    <>
      <SessionEndBanner
        sessionExpiresAt={session.sessionExpiresAt}
        onSignInAgain={auth.requestReauth}
      />
      <Shell key={session.user.id} session={session} onSignOut={signOut} onExpired={expire} />
      {reauth && (
        <ReauthDialog
          email={session.user.email}
          reason={reauth}
          onReauthenticated={auth.reauthenticated}
          onSignOut={signOut}
          onDismiss={auth.dismissReauth}
        />
      )}
    </>
  );
}
