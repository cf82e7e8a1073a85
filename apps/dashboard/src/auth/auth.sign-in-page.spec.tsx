import { type LoginResponse } from '@tautline/domain';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiProblemError } from '../http/http.problem';
import { renderWithQuery } from '../testing/testing.render';
import { SignInPage } from './auth.sign-in-page';

const response: LoginResponse = {
  accessToken: 'token-1',
  expiresIn: 900,
  user: {
    id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
    email: 'sam@clinic.test',
    name: 'Sam Scheduler',
    role: 'scheduler',
    organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
    clinicIds: [],
  },
};

function setup(login = jest.fn().mockResolvedValue(response), notice: string | null = null) {
  const onSignedIn = jest.fn();
  renderWithQuery(<SignInPage login={login} onSignedIn={onSignedIn} notice={notice} />);
  const fill = (email: string, password: string) => {
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  };
  const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  return { login, onSignedIn, fill, submit };
}

describe('SignInPage', () => {
  it('shows an error at each empty field and does not call the API', () => {
    const { login, submit } = setup();
    submit();

    const email = screen.getByLabelText('Email');
    const password = screen.getByLabelText('Password');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter your email address');
    expect(password).toHaveAccessibleDescription('Enter your password');
    expect(email).toHaveFocus();
    expect(login).not.toHaveBeenCalled();
  });

  it('rejects a malformed email with the domain schema message', () => {
    const { login, fill, submit } = setup();
    fill('not-an-email', 'secret');
    submit();

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/invalid email/i);
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
    expect(login).not.toHaveBeenCalled();
  });

  it('signs in with the normalised email', async () => {
    const { login, onSignedIn, fill, submit } = setup();
    fill('Sam@Clinic.Test', 'secret');
    submit();

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(response));
    expect(login).toHaveBeenCalledWith({ email: 'sam@clinic.test', password: 'secret' });
  });

  it('says in words that the credentials are wrong on a 401 problem', async () => {
    const problem = { type: 'https://tautline.test/problems/invalid-credentials', title: 'Unauthorized', status: 401 };
    const { onSignedIn, fill, submit } = setup(jest.fn().mockRejectedValue(new ApiProblemError(problem)));
    fill('sam@clinic.test', 'wrong');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is incorrect.');
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('puts server field errors next to their field', async () => {
    const problem = {
      type: 'https://tautline.test/problems/validation',
      title: 'Bad Request',
      status: 400,
      errors: [{ field: 'body.email', message: 'must be a known domain' }],
    };
    const { fill, submit } = setup(jest.fn().mockRejectedValue(new ApiProblemError(problem)));
    fill('sam@clinic.test', 'secret');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent('Please correct the highlighted fields.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Must be a known domain');
  });

  it('tells a rate-limited user how long to wait', async () => {
    const problem = { type: 'about:blank', title: 'Too Many Requests', status: 429 };
    const { fill, submit } = setup(jest.fn().mockRejectedValue(new ApiProblemError(problem, 30)));
    fill('sam@clinic.test', 'secret');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts. Try again in 30 seconds.');
  });

  it('explains why the user was signed out', () => {
    setup(undefined, 'Your session has expired, please sign in again');
    expect(screen.getByRole('status')).toHaveTextContent('Your session has expired, please sign in again');
  });
});
