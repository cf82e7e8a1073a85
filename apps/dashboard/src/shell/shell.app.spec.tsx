import { type Clinic, type LoginResponse } from '@tautline/domain';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AuthProvider } from '../auth/auth.context';
import { fakeResponse } from '../testing/testing.render';
import { App } from './shell.app';

// The real hook runs against a socket the test drives (socket.io-client is the network edge).
type Handler = (...args: unknown[]) => void;
const socket = {
  handlers: new Map<string, Handler[]>(),
  connected: false,
  active: true,
  io: { on: jest.fn(), off: jest.fn() },
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  },
  off(event: string, fn: Handler) {
    this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== fn));
  },
  emit: jest.fn(),
  connect: jest.fn(),
  disconnect: jest.fn(),
  fire(event: string, ...args: unknown[]) {
    this.connected = event === 'connect' ? true : this.connected;
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  },
};
const io = jest.fn((..._args: unknown[]) => socket);
jest.mock('socket.io-client', () => ({ io: (...args: unknown[]) => io(...args) }));

const ORG = '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80';
const clinics: Clinic[] = [
  { id: '11111111-1111-4111-8111-111111111111', organisationId: ORG, name: 'London Bridge', timeZone: 'Europe/London', phone: null },
  { id: '22222222-2222-4222-8222-222222222222', organisationId: ORG, name: 'Manchester', timeZone: 'Europe/London', phone: null },
];
const login: LoginResponse = {
  accessToken: 'tok-1',
  expiresIn: 900,
  user: {
    id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
    email: 'scheduler@tautline.test',
    name: 'Sam Scheduler',
    role: 'scheduler',
    organisationId: ORG,
    clinicIds: clinics.map((c) => c.id),
  },
};

const fetchMock = jest.fn<Promise<Response>, [string, RequestInit?]>();

function renderApp() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <App />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

async function signIn() {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'scheduler@tautline.test' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'tautline-demo-2026' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByText('Sam Scheduler');
}

beforeEach(() => {
  sessionStorage.clear();
  socket.handlers.clear();
  socket.connected = false;
  jest.clearAllMocks();
  globalThis.fetch = fetchMock as unknown as typeof fetch;
});

describe('App', () => {
  it('signs in, lists the clinics, goes live and signs out', async () => {
    fetchMock.mockImplementation(async (url) =>
      url === '/api/v1/auth/login' ? fakeResponse(200, login) : fakeResponse(200, clinics),
    );
    renderApp();
    await signIn();

    expect(screen.getByText('Scheduler')).toBeInTheDocument();
    expect(JSON.parse(sessionStorage.getItem('tautline.session') ?? '{}')).toMatchObject({ accessToken: 'tok-1' });
    const list = await screen.findByTestId('clinic-list');
    expect(within(list).getAllByTestId('clinic-name').map((n) => n.textContent)).toEqual(['London Bridge', 'Manchester']);
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/clinics', expect.objectContaining({ headers: expect.objectContaining({ Authorization: 'Bearer tok-1' }) }));

    expect(io).toHaveBeenCalledWith('/live', { auth: { token: 'tok-1' }, transports: ['websocket'], autoConnect: false });
    await waitFor(() => expect(socket.connect).toHaveBeenCalled());
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-state', 'reconnecting');
    act(() => socket.fire('connect'));
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Live$/);
    expect(socket.emit).toHaveBeenCalledWith('clinics.subscribe', { clinicIds: login.user.clinicIds }, expect.any(Function));

    // A scheduler may not post notices.
    expect(screen.queryByRole('form', { name: 'Post a notice' })).not.toBeInTheDocument();

    // Unticking a clinic hides it and leaves its room.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Manchester' }));
    expect(within(screen.getByTestId('clinic-list')).getAllByTestId('clinic-name').map((n) => n.textContent)).toEqual(['London Bridge']);
    expect(socket.emit).toHaveBeenCalledWith('clinics.unsubscribe', { clinicIds: [clinics[1]!.id] }, expect.any(Function));

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByRole('heading', { name: 'Sign in to Tautline' })).toBeInTheDocument();
    expect(sessionStorage.getItem('tautline.session')).toBeNull();
    expect(socket.disconnect).toHaveBeenCalled();
  });

  it('sends the user back to sign in when the token has expired', async () => {
    fetchMock.mockImplementation(async (url) =>
      url === '/api/v1/auth/login'
        ? fakeResponse(200, login)
        : fakeResponse(401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Token expired' }),
    );
    renderApp();
    await signIn();

    await screen.findByRole('heading', { name: 'Sign in to Tautline' });
    expect(screen.getByRole('status')).toHaveTextContent('Your session has expired, please sign in again');
    expect(sessionStorage.getItem('tautline.session')).toBeNull();
    expect(socket.disconnect).toHaveBeenCalled();
  });

  it('treats a refused live handshake as an expired session', async () => {
    fetchMock.mockImplementation(async (url) =>
      url === '/api/v1/auth/login' ? fakeResponse(200, login) : fakeResponse(200, clinics),
    );
    renderApp();
    await signIn();

    act(() => socket.fire('connect_error', new Error('unauthorized')));
    expect(await screen.findByText('Your session has expired, please sign in again')).toBeInTheDocument();
  });

  it('lets a supervisor post a notice and shows it when delivered', async () => {
    const supervisor = { ...login, user: { ...login.user, name: 'Dr Sofia Supervisor', role: 'supervisor' as const } };
    fetchMock.mockImplementation(async (url) => {
      if (url === '/api/v1/auth/login') return fakeResponse(200, supervisor);
      if (url.endsWith('/notices')) return fakeResponse(202, undefined);
      return fakeResponse(200, clinics);
    });
    renderApp();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'supervisor@tautline.test' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('clinic-list');
    act(() => socket.fire('connect'));

    fireEvent.change(screen.getByLabelText('Clinic'), { target: { value: clinics[1]!.id } });
    fireEvent.change(screen.getByLabelText('Notice'), { target: { value: '  Room 3 stimulator out of service ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post notice' }));
    expect(await screen.findByText(/Notice sent/)).toBeInTheDocument();
    const [, init] = fetchMock.mock.calls.find(([url]) => url.endsWith('/notices'))!;
    expect(fetchMock).toHaveBeenCalledWith(`/api/v1/clinics/${clinics[1]!.id}/notices`, expect.anything());
    expect(init?.body).toBe(JSON.stringify({ message: 'Room 3 stimulator out of service' }));

    const posted = { id: 'n1', clinicId: clinics[1]!.id, message: 'Room 3 stimulator out of service', postedBy: 'Dr Sofia Supervisor', postedAt: '2026-03-09T10:00:00.000Z' };
    act(() => socket.fire('notice.posted', posted));
    expect(within(screen.getByTestId('notice-list')).getByText('Room 3 stimulator out of service')).toBeInTheDocument();
    expect(screen.getByTestId('notice-list')).toHaveTextContent('Manchester · Dr Sofia Supervisor · 10:00');
  });
});
