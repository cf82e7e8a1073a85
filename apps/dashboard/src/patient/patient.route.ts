/** Reminder links are `<PUBLIC_URL>/p/<token>`: the patient's page, outside the staff app. */
const PATIENT_PREFIX = '/p/';

/**
 * The link token when `pathname` is a patient page, else null (the staff app). A path of `/p/`
 * with nothing after it is a patient page with an empty token: the page says the link is not
 * valid without asking the server.
 */
export function patientLinkToken(pathname: string): string | null {
  if (!pathname.startsWith(PATIENT_PREFIX)) return null;
  const raw = pathname.slice(PATIENT_PREFIX.length).replace(/\/+$/, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}
