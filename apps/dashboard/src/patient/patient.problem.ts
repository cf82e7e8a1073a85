import { ApiProblemError, describeProblem } from '../http/http.problem';

/** The server's 404 for a tampered, expired or malformed link (and an appointment that is gone). */
export function isInvalidLink(error: unknown): boolean {
  return error instanceof ApiProblemError && error.status === 404;
}

/**
 * Words a patient can act on. The API's own sentences (a 409 after the cut-off, a time taken
 * meanwhile) are written for patients and shown as they are; the staff app's words for a
 * network failure or a server error name Tautline, which a patient has never heard of.
 */
export function describePatientProblem(error: unknown): string {
  if (error instanceof ApiProblemError) {
    if (error.status === 0)
      return 'We could not reach the clinic’s booking system. Check your connection and try again.';
    if (error.status >= 500)
      return 'Something went wrong on our side. Please try again in a moment, or call the clinic.';
  }
  return describeProblem(error);
}
