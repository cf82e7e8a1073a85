import { LoginRequest } from '@tautline/domain';
import { ApiProblemError, describeProblem } from '../http/http.problem';

export type SignInField = 'email' | 'password';
export type SignInFieldErrors = Partial<Record<SignInField, string>>;

export type SignInValidation =
  | { ok: true; request: LoginRequest }
  | { ok: false; errors: SignInFieldErrors };

const EMPTY_MESSAGES: Record<SignInField, string> = {
  email: 'Enter your email address',
  password: 'Enter your password',
};

function isSignInField(name: unknown): name is SignInField {
  return name === 'email' || name === 'password';
}

/** Validates with the same domain schema the API uses; an empty field gets a plainer message than zod's. */
export function validateSignIn(values: Record<SignInField, string>): SignInValidation {
  const parsed = LoginRequest.safeParse(values);
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors: SignInFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (!isSignInField(field) || errors[field]) continue;
    errors[field] = values[field].trim() === '' ? EMPTY_MESSAGES[field] : capitalise(issue.message);
  }
  return { ok: false, errors };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface SignInFailure {
  /** Shown at the top of the form (role="alert"). */
  message: string;
  fieldErrors: SignInFieldErrors;
}

/** Turns the server's problem into words; field errors (`body.email`) go next to their field. */
export function describeSignInFailure(error: unknown): SignInFailure {
  if (!(error instanceof ApiProblemError))
    return { message: describeProblem(error), fieldErrors: {} };
  const { problem } = error;
  if (problem.status === 401)
    return { message: 'Email or password is incorrect.', fieldErrors: {} };
  if (problem.status === 429) {
    const wait = error.retryAfterSeconds;
    return {
      message:
        wait === null
          ? 'Too many sign-in attempts. Please wait a moment and try again.'
          : `Too many sign-in attempts. Try again in ${wait === 1 ? '1 second' : `${wait} seconds`}.`,
      fieldErrors: {},
    };
  }
  const fieldErrors: SignInFieldErrors = {};
  for (const { field, message } of problem.errors ?? []) {
    const name = field.replace(/^body\./, '');
    if (isSignInField(name) && !fieldErrors[name]) fieldErrors[name] = capitalise(message);
  }
  if (problem.status === 400 && Object.keys(fieldErrors).length > 0) {
    return { message: 'Please correct the highlighted fields.', fieldErrors };
  }
  return { message: describeProblem(error), fieldErrors };
}
