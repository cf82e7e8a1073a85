import { ApiProblemError, describeProblem } from '../http/http.problem';

/** Words for a failed load of message records; a 404 names what is missing. */
export function describeMessagesProblem(error: unknown, missing: string): string {
  if (error instanceof ApiProblemError && error.status === 404)
    return `${missing} does not exist or is not in one of your clinics.`;
  return describeProblem(error);
}
