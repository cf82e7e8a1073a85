import { type Clinic } from '@tautline/domain';
import { type Session } from '../auth/auth.session';

/** What the shell hands every view: who is signed in and which clinics are selected. */
export interface ViewProps {
  token: string;
  user: Session['user'];
  /** The clinics selected in the switcher (one or several). */
  clinics: Clinic[];
  /** Every clinic of the user, for pickers. */
  allClinics: Clinic[];
  /** The token was refused: the shell signs the user out with a notice. */
  onUnauthorized(): void;
}
