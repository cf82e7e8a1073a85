import { type LoginResponse } from '@tautline/domain';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { isUnauthorized } from '../http/http.problem';
import { Field } from '../ui/ui.field';
import { login } from './auth.api';
import { describeSignInFailure } from './auth.form';
import './auth.css';

interface ReauthDialogProps {
  email: string;
  /** `ended`: renewal is impossible, only the password (or signing out) closes the dialog. */
  reason: 'ended' | 'requested';
  onReauthenticated(response: LoginResponse): void;
  onSignOut(): void;
  onDismiss(): void;
}

/**
 * The password again, over the page: nothing underneath is unmounted, so the board keeps its data,
 * its socket and its alarms, and a half-written booking keeps its fields.
 */
export function ReauthDialog({
  email,
  reason,
  onReauthenticated,
  onSignOut,
  onDismiss,
}: ReauthDialogProps) {
  const origin = useApiOrigin();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<Element | null>(null);

  useEffect(() => {
    returnFocus.current = document.activeElement;
    input.current?.focus();
    return () => {
      if (returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
    };
  }, []);

  const signIn = useMutation({
    mutationFn: () => login({ email, password }, origin),
    onSuccess: (response) => onReauthenticated(response),
    onError(failure) {
      // The email is fixed here: a refusal can only be the password.
      setError(
        isUnauthorized(failure)
          ? 'That password is not correct.'
          : describeSignInFailure(failure).message,
      );
      input.current?.focus();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password === '') {
      setError('Enter your password');
      input.current?.focus();
      return;
    }
    setError(null);
    signIn.mutate();
  }

  // Focus stays inside the dialog while it is open (Tab wraps); Escape closes only a voluntary one.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape' && reason === 'requested') onDismiss();
    if (event.key !== 'Tab') return;
    const focusable = dialog.current?.querySelectorAll<HTMLElement>('input, button:not(:disabled)');
    if (!focusable || focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="reauth-backdrop">
      <div
        ref={dialog}
        className="card reauth-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="reauth-heading"
        aria-describedby="reauth-description"
        onKeyDown={onKeyDown}
      >
        <form noValidate onSubmit={onSubmit}>
          <h2 id="reauth-heading">
            {reason === 'ended' ? 'Sign in again to continue' : 'Sign in again'}
          </h2>
          <p id="reauth-description">
            {reason === 'ended'
              ? 'Your sign-in has ended. This page stays as it is: live data and alarms continue underneath.'
              : 'Enter your password to start a new sign-in session without leaving this page.'}
          </p>
          <p className="reauth-user">
            Signed in as <strong>{email}</strong>
          </p>
          {error && (
            <p className="banner banner-error" role="alert">
              {error}
            </p>
          )}
          <Field
            id="reauth-password"
            ref={input}
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="reauth-actions">
            <button type="submit" className="button-primary" disabled={signIn.isPending}>
              {signIn.isPending ? 'Signing in…' : 'Continue'}
            </button>
            {reason === 'requested' ? (
              <button type="button" className="button-secondary" onClick={onDismiss}>
                Not now
              </button>
            ) : (
              <button type="button" className="button-secondary" onClick={onSignOut}>
                Sign out
              </button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
