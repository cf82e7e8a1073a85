import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import { json, problem, startTestServer, type TestServer } from '../testing/testing.server';
import { ReauthDialog } from './auth.reauth-dialog';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  cleanup();
  await server.close();
});

function renderDialog(reason: 'ended' | 'requested') {
  const handlers = {
    onReauthenticated: jest.fn(),
    onSignOut: jest.fn(),
    onDismiss: jest.fn(),
  };
  renderWithQuery(
    <>
      <button type="button">Underneath</button>
      <ReauthDialog email="sam@clinic.test" reason={reason} {...handlers} />
    </>,
    { origin: server.origin },
  );
  return handlers;
}

describe('ReauthDialog', () => {
  it('asks for the password of the same user, says so plainly when it is wrong, then carries on', async () => {
    server.route('POST', '/api/v1/auth/login', () =>
      problem(401, 'Unauthorized', 'the email or password is incorrect'),
    );
    const { onReauthenticated } = renderDialog('ended');
    const dialog = screen.getByRole('dialog', { name: 'Sign in again to continue' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveTextContent('Signed in as sam@clinic.test');
    const password = within(dialog).getByLabelText('Password');
    expect(password).toHaveFocus();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Enter your password');

    fireEvent.change(password, { target: { value: 'wrong' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await within(dialog).findByText('That password is not correct.')).toBeInTheDocument();
    expect(server.requests.at(-1)?.body).toEqual({ email: 'sam@clinic.test', password: 'wrong' });

    const answer = {
      accessToken: 'tok-9',
      expiresIn: 900,
      sessionExpiresAt: '2099-01-01T00:00:00.000Z',
      user: {
        id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
        email: 'sam@clinic.test',
        name: 'Sam',
        role: 'scheduler',
        organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
        clinicIds: [],
      },
    };
    server.route('POST', '/api/v1/auth/login', () => json(200, answer));
    fireEvent.change(password, { target: { value: 'right' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(onReauthenticated).toHaveBeenCalledWith(answer));
  });

  it('cannot be dismissed when the session ended (only the password or signing out)', () => {
    const { onDismiss, onSignOut } = renderDialog('ended');
    const dialog = screen.getByRole('dialog');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onDismiss).not.toHaveBeenCalled();
    expect(within(dialog).queryByRole('button', { name: 'Not now' })).not.toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalledTimes(1);
  });

  it('keeps focus inside while open: Tab wraps around', () => {
    renderDialog('requested');
    const dialog = screen.getByRole('dialog', { name: 'Sign in again' });
    const notNow = within(dialog).getByRole('button', { name: 'Not now' });
    notNow.focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(within(dialog).getByLabelText('Password')).toHaveFocus();
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(notNow).toHaveFocus();
  });
});
