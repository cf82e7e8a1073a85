import { type LoginRequest, type LoginResponse } from '@tautline/domain';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { Field } from '../ui/ui.field';
import { login } from './auth.api';
import {
  describeSignInFailure,
  validateSignIn,
  type SignInField,
  type SignInFieldErrors,
} from './auth.form';

interface SignInPageProps {
  onSignedIn(response: LoginResponse): void;
  /** Why the user was sent back here (an expired session). */
  notice?: string | null;
}

export function SignInPage({ onSignedIn, notice }: SignInPageProps) {
  const origin = useApiOrigin();
  const [values, setValues] = useState<Record<SignInField, string>>({ email: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<SignInFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const inputs = {
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };

  const signIn = useMutation({
    mutationFn: (request: LoginRequest) => login(request, origin),
    onSuccess: (response) => onSignedIn(response),
    onError(error) {
      const failure = describeSignInFailure(error);
      setFieldErrors(failure.fieldErrors);
      setFormError(failure.message);
      focusFirstInvalid(failure.fieldErrors);
    },
  });

  // Keyboard and screen-reader users land on what needs fixing.
  function focusFirstInvalid(errors: SignInFieldErrors) {
    const first = (['email', 'password'] as const).find((f) => errors[f]);
    if (first) inputs[first].current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const result = validateSignIn(values);
    if (!result.ok) {
      setFieldErrors(result.errors);
      focusFirstInvalid(result.errors);
      return;
    }
    setFieldErrors({});
    signIn.mutate(result.request);
  }

  const update = (field: SignInField) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  return (
    <main className="sign-in">
      <form
        className="card sign-in-form"
        noValidate
        onSubmit={onSubmit}
        aria-labelledby="sign-in-heading"
      >
        <h1 id="sign-in-heading">Sign in to Tautline</h1>
        {notice && (
          <p className="banner banner-info" role="status">
            {notice}
          </p>
        )}
        {formError && (
          <p className="banner banner-error" role="alert">
            {formError}
          </p>
        )}
        <Field
          id="email"
          ref={inputs.email}
          label="Email"
          type="email"
          autoComplete="username"
          inputMode="email"
          value={values.email}
          onChange={update('email')}
          error={fieldErrors.email}
        />
        <Field
          id="password"
          ref={inputs.password}
          label="Password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          onChange={update('password')}
          error={fieldErrors.password}
        />
        <button type="submit" className="button-primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
