import { AuthProvider } from '../auth/auth.context';
import { App } from './shell.app';

/** The staff dashboard behind sign-in: its own bundle, loaded only off patient links. */
export default function StaffApp() {
  return (
    <AuthProvider>
      <App />
    </AuthProvider>
  );
}
