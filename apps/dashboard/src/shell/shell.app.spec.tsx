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

  it('sends the user back to sign in when the token has expired', async () => {
    // The API answers 401 once the live socket is up, so we can see the app close it.
    server.route('GET', '/api/v1/clinics', async () => {
      await until(() => server.watchedClinics().length === 2);
      return problem(401, 'Unauthorized', 'the token has expired');
    });
    renderApp();
    await signIn();

    await screen.findByRole('heading', { name: 'Sign in to Tautline' }, { timeout: 3000 });
    expect(screen.getByRole('status')).toHaveTextContent(
      'Your session has expired, please sign in again',
    );
    expect(sessionStorage.getItem('tautline.session')).toBeNull();
    expect(server.handshakes).toHaveLength(1);
    await waitFor(() => expect(server.liveSockets()).toBe(0));
  });

  it('treats a refused live handshake as an expired session', async () => {
    server.liveAuth = { token: 'another-token', clinicIds: [london, manchester] };
    renderApp();
    await signIn();

    expect(
      await screen.findByText('Your session has expired, please sign in again'),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Sign in to Tautline' })).toBeInTheDocument();
    expect(server.handshakes).toEqual([{ token: 'tok-1', transport: 'websocket' }]);
    expect(sessionStorage.getItem('tautline.session')).toBeNull();
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
