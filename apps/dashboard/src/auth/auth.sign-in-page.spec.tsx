import { type LoginResponse } from '@tautline/domain';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import {
  json,
  problem,
  startTestServer,
  type Reply,
  type TestServer,
} from '../testing/testing.server';
import { SignInPage } from './auth.sign-in-page';

const response: LoginResponse = {
  accessToken: 'token-1',
  expiresIn: 900,
  sessionExpiresAt: '2099-01-01T00:00:00.000Z',
  user: {
    id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
    email: 'sam@clinic.test',
    name: 'Sam Scheduler',
    role: 'scheduler',
    organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
    clinicIds: [],
  },
};

// The page signs in with real fetch against a real HTTP server answering as the API does.
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

function setup(answer: Reply = json(200, response), notice: string | null = null) {
  server.route('POST', '/api/v1/auth/login', () => answer);
  const onSignedIn = jest.fn();
  renderWithQuery(<SignInPage onSignedIn={onSignedIn} notice={notice} />, {
    origin: server.origin,
  });
  const fill = (email: string, password: string) => {
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  };
  const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  /** Signs in for real, then returns every login the server received: the one just made is last. */
  const loginsAfterValidSignIn = async () => {
    fill('sam@clinic.test', 'secret');
    submit();
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(response));
    return server.requests.filter((r) => r.path === '/api/v1/auth/login').map((r) => r.body);
  };
  return { onSignedIn, fill, submit, loginsAfterValidSignIn };
}

describe('SignInPage', () => {
  it('shows an error at each empty field and does not call the API', async () => {
    const { submit, loginsAfterValidSignIn } = setup();
    submit();

    const email = screen.getByLabelText('Email');
    const password = screen.getByLabelText('Password');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter your email address');
    expect(password).toHaveAccessibleDescription('Enter your password');
    expect(email).toHaveFocus();
    // Had the empty form been sent, the server would have seen it before this valid sign-in.
    expect(await loginsAfterValidSignIn()).toEqual([
      { email: 'sam@clinic.test', password: 'secret' },
    ]);
  });

  it('rejects a malformed email with the domain schema message', async () => {
    const { fill, submit, loginsAfterValidSignIn } = setup();
    fill('not-an-email', 'secret');
    submit();

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/invalid email/i);
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
    expect(await loginsAfterValidSignIn()).toEqual([
      { email: 'sam@clinic.test', password: 'secret' },
    ]);
  });

  it('signs in with the normalised email', async () => {
    const { onSignedIn, fill, submit } = setup();
    fill('Sam@Clinic.Test', 'secret');
    submit();

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(response));
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email: 'sam@clinic.test', password: 'secret' },
      }),
    ]);
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('says in words that the credentials are wrong on a 401 problem', async () => {
    const { onSignedIn, fill, submit } = setup(
      problem(401, 'Unauthorized', 'the email or password is incorrect'),
    );
    fill('sam@clinic.test', 'wrong');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is incorrect.');
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('puts server field errors next to their field', async () => {
    const { fill, submit } = setup(
      problem(400, 'Invalid request', 'body.email: must be a known domain', {
        errors: [{ field: 'body.email', message: 'must be a known domain' }],
      }),
    );
    fill('sam@clinic.test', 'secret');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Please correct the highlighted fields.',
    );
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Must be a known domain');
  });

  it('tells a rate-limited user how long to wait', async () => {
    const { fill, submit } = setup(
      problem(429, 'Too Many Requests', 'too many sign-in attempts; try again in 30 s', {
        headers: { 'Retry-After': '30' },
      }),
    );
    fill('sam@clinic.test', 'secret');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many sign-in attempts. Try again in 30 seconds.',
    );
  });

  it('explains why the user was signed out', () => {
    setup(undefined, 'Your session has expired, please sign in again');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Your session has expired, please sign in again',
    );
  });
});
