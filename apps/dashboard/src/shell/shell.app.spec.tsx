import {
  clinicRoom,
  LIVE_NAMESPACE,
  type Clinic,
  type LoginResponse,
  type Notice,
} from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AuthProvider } from '../auth/auth.context';
import { renderWithQuery } from '../testing/testing.render';
import { json, problem, startTestServer, until, type TestServer } from '../testing/testing.server';
import { App } from './shell.app';

const ORG = '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80';
const clinics: Clinic[] = [
  {
    id: '11111111-1111-4111-8111-111111111111',
    organisationId: ORG,
    name: 'London Bridge',
    timeZone: 'Europe/London',
    phone: null,
  },
  {
    id: '22222222-2222-4222-8222-222222222222',
    organisationId: ORG,
    name: 'Manchester',
    timeZone: 'Europe/London',
    phone: null,
  },
];
const [london, manchester] = clinics.map((c) => c.id) as [string, string];
const login: LoginResponse = {
  accessToken: 'tok-1',
  expiresIn: 900,
  sessionExpiresAt: '2099-01-01T00:00:00.000Z',
  user: {
    id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
    email: 'scheduler@tautline.test',
    name: 'Sam Scheduler',
    role: 'scheduler',
    organisationId: ORG,
    clinicIds: [london, manchester],
  },
};

// The whole app against a real HTTP + socket.io server (src/testing/testing.server.ts): real fetch
// for sign-in, clinics and notices, a real socket.io client on /live. Token 'tok-1' may watch both clinics.
let server: TestServer;
beforeEach(async () => {
  sessionStorage.clear();
  server = await startTestServer({ token: 'tok-1', clinicIds: [london, manchester] });
  server
    .route('POST', '/api/v1/auth/login', () => json(200, login))
    .route('GET', '/api/v1/clinics', () => json(200, clinics));
});
afterEach(async () => {
  cleanup();
  await server.close();
});

function renderApp() {
  renderWithQuery(
    <AuthProvider>
      <App />
    </AuthProvider>,
    { origin: server.origin },
  );
}

async function signIn(email = 'scheduler@tautline.test', name = 'Sam Scheduler') {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'tautline-demo-2026' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByText(name);
}

const liveStatus = () => screen.getByTestId('live-status');

describe('App', () => {
  it('signs in, lists the clinics, goes live and signs out', async () => {
    server.handshakeGate.close(); // hold the live handshake to see "Connecting…"
    renderApp();
    await signIn();

    expect(screen.getByText('Scheduler')).toBeInTheDocument();
    expect(JSON.parse(sessionStorage.getItem('tautline.session') ?? '{}')).toMatchObject({
      accessToken: 'tok-1',
    });
    const list = await screen.findByTestId('clinic-list');
    expect(
      within(list)
        .getAllByTestId('clinic-name')
        .map((n) => n.textContent),
    ).toEqual(['London Bridge', 'Manchester']);
    const clinicsRequest = server.requests.find((r) => r.path === '/api/v1/clinics');
    expect(clinicsRequest?.headers.authorization).toBe('Bearer tok-1');

    // The socket reached the server with the token, over a WebSocket; the server has not answered yet.
    await waitFor(() =>
      expect(server.handshakes).toEqual([{ token: 'tok-1', transport: 'websocket' }]),
    );
    expect(liveStatus()).toHaveAttribute('data-state', 'reconnecting');
    expect(liveStatus()).toHaveTextContent('Connecting…');

    server.handshakeGate.open();
    await waitFor(() => expect(liveStatus()).toHaveTextContent(/^Live$/));
    await waitFor(() => expect(server.watchedClinics()).toEqual([london, manchester].sort()));
    expect(server.liveRequests).toEqual([
      { event: 'clinics.subscribe', clinicIds: login.user.clinicIds },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId('live-last-update')).toHaveTextContent(
        /^Last update \d\d:\d\d:\d\d$/,
      ),
    );

    // A scheduler may not post notices.
    expect(screen.queryByRole('form', { name: 'Post a notice' })).not.toBeInTheDocument();

    // Unticking a clinic hides it and leaves its room.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Manchester' }));
    expect(
      within(screen.getByTestId('clinic-list'))
        .getAllByTestId('clinic-name')
        .map((n) => n.textContent),
    ).toEqual(['London Bridge']);
    await waitFor(() => expect(server.watchedClinics()).toEqual([london]));
    expect(server.liveRequests.at(-1)).toEqual({
      event: 'clinics.unsubscribe',
      clinicIds: [manchester],
    });

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByRole('heading', { name: 'Sign in to Tautline' })).toBeInTheDocument();
    expect(sessionStorage.getItem('tautline.session')).toBeNull();
    await waitFor(() => expect(server.liveSockets()).toBe(0));
  });

  it('renews a refused token in the background and retries, renewing the socket in place', async () => {
    let clinicCalls = 0;
    server
      .route('GET', '/api/v1/clinics', async (req) => {
        clinicCalls += 1;
        if (req.headers.authorization === 'Bearer tok-1') {
          await until(() => server.watchedClinics().length === 2);
          return problem(401, 'Unauthorized', 'the token has expired');
        }
        return json(200, clinics);
      })
      .route('POST', '/api/v1/auth/refresh', () => {
        server.liveAuth = { token: 'tok-2', clinicIds: [london, manchester] };
        return json(200, { ...login, accessToken: 'tok-2' });
      });
    renderApp();
    await signIn();

    // The 401 was renewed and the request retried with the new token: the page never noticed.
    await screen.findByTestId('clinic-list', {}, { timeout: 4_000 });
    expect(clinicCalls).toBe(2);
    expect(server.requests.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(JSON.parse(sessionStorage.getItem('tautline.session') ?? '{}')).toMatchObject({
      accessToken: 'tok-2',
    });
    // The open socket got the new token: no second handshake, rooms kept.
    await waitFor(() => expect(server.renewals).toEqual(['tok-2']));
    expect(server.handshakes).toHaveLength(1);
    expect(server.watchedClinics()).toEqual([london, manchester].sort());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('asks for the password over the page when renewal is impossible, and carries on after it', async () => {
    server
      .route('GET', '/api/v1/clinics', async (req) => {
        if (req.headers.authorization === 'Bearer tok-1') {
          await until(() => server.watchedClinics().length === 2);
          return problem(401, 'Unauthorized', 'the token has expired');
        }
        return json(200, clinics);
      })
      .route('POST', '/api/v1/auth/refresh', () =>
        problem(401, 'Unauthorized', 'the sign-in session has ended; sign in again'),
      );
    renderApp();
    await signIn();

    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Sign in again to continue' },
      { timeout: 4_000 },
    );
    // Nothing was unmounted: the shell and its socket are still there, under the dialog.
    expect(screen.getByText('Sam Scheduler')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Sign in to Tautline' })).not.toBeInTheDocument();
    expect(server.liveSockets()).toBe(1);
    const password = within(dialog).getByLabelText('Password');
    expect(password).toHaveFocus();

    server.route('POST', '/api/v1/auth/login', () => json(200, { ...login, accessToken: 'tok-3' }));
    server.liveAuth = { token: 'tok-3', clinicIds: [london, manchester] };
    fireEvent.change(password, { target: { value: 'tautline-demo-2026' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const relogin = server.requests.filter((r) => r.path === '/api/v1/auth/login').at(-1);
    expect(relogin?.body).toEqual({
      email: 'scheduler@tautline.test',
      password: 'tautline-demo-2026',
    });
    // The failed list is asked again with the new token; the socket was renewed in place.
    await screen.findByTestId('clinic-list');
    await waitFor(() => expect(server.renewals).toEqual(['tok-3']));
    expect(server.handshakes).toHaveLength(1);
  });

  it('treats a refused live handshake as a token to renew, then reconnects with the new one', async () => {
    server.liveAuth = { token: 'another-token', clinicIds: [london, manchester] };
    server.route('POST', '/api/v1/auth/refresh', () => {
      server.liveAuth = { token: 'tok-2', clinicIds: [london, manchester] };
      return json(200, { ...login, accessToken: 'tok-2' });
    });
    renderApp();
    await signIn();

    await waitFor(() => expect(liveStatus()).toHaveTextContent(/^Live$/));
    expect(server.handshakes.map((h) => h.token)).toEqual(['tok-1', 'tok-2']);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('renews in the background before each access token ends, the socket renewed in place', async () => {
    let n = 1;
    server
      .route('POST', '/api/v1/auth/login', () => json(200, { ...login, expiresIn: 1 }))
      .route('POST', '/api/v1/auth/refresh', () => {
        n += 1;
        server.liveAuth = { token: `tok-${n}`, clinicIds: [london, manchester] };
        return json(200, { ...login, accessToken: `tok-${n}`, expiresIn: 1 });
      });
    renderApp();
    await signIn();
    await waitFor(() => expect(liveStatus()).toHaveTextContent(/^Live$/));
    // A 1 s token is renewed at 0.75 s, again and again, without a request ever failing.
    await waitFor(() => expect(server.renewals.length).toBeGreaterThanOrEqual(3), {
      timeout: 4_000,
    });
    expect(server.handshakes).toHaveLength(1);
    expect(liveStatus()).toHaveTextContent(/^Live$/);
    expect(server.requests.filter((r) => r.path === '/api/v1/auth/refresh').length).toBe(n - 1);
  });

  it('warns ahead of the absolute end and lets the user sign in again early, without leaving', async () => {
    const ends = new Date(Date.now() + 5 * 60_000);
    server.route('POST', '/api/v1/auth/login', () =>
      json(200, { ...login, sessionExpiresAt: ends.toISOString() }),
    );
    renderApp();
    await signIn();
    const banner = await screen.findByText(/Your sign-in ends at/);
    const hhmm = new Intl.DateTimeFormat(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(ends);
    expect(banner.closest('[role="status"]')).toHaveTextContent(
      `Your sign-in ends at ${hhmm} — sign in again to continue.`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    const dialog = screen.getByRole('dialog', { name: 'Sign in again' });
    expect(within(dialog).getByLabelText('Password')).toHaveFocus();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByText('Sam Scheduler')).toBeInTheDocument();
  });

  it('keeps a half-written form through an unavoidable expiry: the dialog opens over it, never instead', async () => {
    const supervisor = {
      ...login,
      expiresIn: 1,
      user: { ...login.user, name: 'Dr Sofia Supervisor', role: 'supervisor' as const },
    };
    server
      .route('POST', '/api/v1/auth/login', () => json(200, supervisor))
      .route('POST', '/api/v1/auth/refresh', () =>
        problem(401, 'Unauthorized', 'the sign-in session has ended; sign in again'),
      );
    renderApp();
    await signIn('supervisor@tautline.test', 'Dr Sofia Supervisor');
    const field = await screen.findByLabelText('Notice');
    fireEvent.change(field, { target: { value: 'Room 3 stimulator out of' } });

    // The 1 s token cannot be renewed: the password dialog, with the form still filled underneath.
    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Sign in again to continue' },
      { timeout: 3_000 },
    );
    expect(screen.getByLabelText('Notice')).toBe(field);
    expect(field).toHaveValue('Room 3 stimulator out of');
    server.route('POST', '/api/v1/auth/login', () =>
      json(200, { ...supervisor, accessToken: 'tok-2', expiresIn: 900 }),
    );
    fireEvent.change(within(dialog).getByLabelText('Password'), {
      target: { value: 'tautline-demo-2026' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByLabelText('Notice')).toBe(field);
    expect(field).toHaveValue('Room 3 stimulator out of');
  });

  it('ends the server session on sign out', async () => {
    server.route('POST', '/api/v1/auth/logout', () => json(204));
    renderApp();
    await signIn();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByRole('heading', { name: 'Sign in to Tautline' })).toBeInTheDocument();
    await waitFor(() =>
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain(
        'POST /api/v1/auth/logout',
      ),
    );
  });

  it('lets a supervisor post a notice and shows it when delivered', async () => {
    const supervisor = {
      ...login,
      user: {
        ...login.user,
        email: 'supervisor@tautline.test',
        name: 'Dr Sofia Supervisor',
        role: 'supervisor' as const,
      },
    };
    server
      .route('POST', '/api/v1/auth/login', () => json(200, supervisor))
      .route('POST', '/api/v1/clinics/:clinicId/notices', () => json(202, { id: 'job-1' }));
    renderApp();
    await signIn('supervisor@tautline.test', 'Dr Sofia Supervisor');
    await screen.findByTestId('clinic-list');
    await waitFor(() => expect(server.watchedClinics()).toEqual([london, manchester].sort()));

    fireEvent.change(screen.getByLabelText('Clinic'), { target: { value: manchester } });
    fireEvent.change(screen.getByLabelText('Notice'), {
      target: { value: '  Room 3 stimulator out of service ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Post notice' }));
    expect(await screen.findByText(/Notice sent/)).toBeInTheDocument();
    const posted = server.requests.filter((r) => r.path.endsWith('/notices'));
    expect(posted).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/clinics/${manchester}/notices`,
        body: { message: 'Room 3 stimulator out of service' },
      }),
    ]);
    expect(posted[0]!.headers.authorization).toBe('Bearer tok-1');

    // The worker's part: deliver it to everyone watching Manchester.
    const notice: Notice = {
      id: 'n1',
      clinicId: manchester,
      message: 'Room 3 stimulator out of service',
      postedBy: 'Dr Sofia Supervisor',
      postedAt: '2026-03-09T10:00:00.000Z',
    };
    server.io.of(LIVE_NAMESPACE).to(clinicRoom(manchester)).emit('notice.posted', notice);
    const item = await screen.findByText('Room 3 stimulator out of service', {
      selector: '.notice-message',
    });
    expect(
      within(screen.getByTestId('notice-list')).getByText('Room 3 stimulator out of service'),
    ).toBe(item);
    expect(screen.getByTestId('notice-list')).toHaveTextContent(
      'Manchester · Dr Sofia Supervisor · 10:00',
    );
  });
});
