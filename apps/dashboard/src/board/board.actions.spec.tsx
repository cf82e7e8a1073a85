import {
  DEFAULT_SAFETY_THRESHOLDS,
  type LiveSession,
  type Role,
  type TreatmentSession,
} from '@tautline/domain';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiOriginProvider } from '../http/http.origin';
import { renderWithQuery } from '../testing/testing.render';
import { json, problem, startTestServer, type TestServer } from '../testing/testing.server';
import { SessionActions, SessionOperatorProvider } from './board.actions';
import { BodySilhouette } from './board.silhouette';

// Tile controls against a real HTTP server: real fetch, the API's answers and problems.

const SESSION = 'b1111111-1111-4111-8111-111111111111';
const USER = '77777777-7777-4777-8777-777777777777';
const OTHER_USER = '88888888-8888-4888-8888-888888888888';
const plan: LiveSession['plan'] = {
  plannedDurationMinutes: 20,
  channels: [
    {
      channel: 1,
      muscle: 'infraspinatus',
      side: 'right',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 12,
    },
    {
      channel: 2,
      muscle: 'tibialis_anterior',
      side: 'left',
      waveform: 'burst',
      frequencyHz: 2,
      pulseWidthUs: 200,
      intensityCeilingMa: 10,
    },
  ],
};

function live(status: LiveSession['status']): LiveSession {
  return {
    sessionId: SESSION,
    clinicId: '11111111-1111-4111-8111-111111111111',
    roomId: 'a1111111-1111-4111-8111-111111111111',
    roomName: 'Room 1',
    deviceId: 'c1111111-1111-4111-8111-111111111111',
    appointmentId: 'd1111111-1111-4111-8111-111111111111',
    patientInitials: 'O.M.',
    practitionerName: 'Eleanor Whitcombe',
    status,
    plan,
    thresholds: DEFAULT_SAFETY_THRESHOLDS,
    startedAt: null,
    runningSeconds: 0,
    runningSince: null,
    latest: null,
    openAlerts: [],
    updateEpoch: 1,
    updateSeq: 1,
  };
}

function answered(status: TreatmentSession['status'], body: unknown = null): TreatmentSession {
  const now = new Date().toISOString();
  const stop = (body as { adverseEvent?: TreatmentSession['adverseEvent'] } | null)?.adverseEvent;
  return {
    id: SESSION,
    appointmentId: 'd1111111-1111-4111-8111-111111111111',
    clinicId: '11111111-1111-4111-8111-111111111111',
    roomId: 'a1111111-1111-4111-8111-111111111111',
    deviceId: 'c1111111-1111-4111-8111-111111111111',
    practitionerId: 'f1111111-1111-4111-8111-111111111111',
    status,
    plan,
    startedAt: now,
    endedAt: status === 'completed' ? now : null,
    runningSeconds: 0,
    runningSince: status === 'running' ? now : null,
    summary: null,
    adverseEvent: stop ?? null,
    createdAt: now,
  };
}

const NEXT = { start: 'running', pause: 'paused', resume: 'running', stop: 'completed' } as const;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  server.route('POST', '/api/v1/sessions/:id/:command', (req, { command }) =>
    json(200, answered(NEXT[command as keyof typeof NEXT], req.body)),
  );
});
afterEach(async () => {
  cleanup();
  await server.close();
});

function renderActions(
  status: LiveSession['status'],
  role: Role,
  extra: { treatingUserId?: string | null; provider?: boolean } = {},
) {
  const { provider = true, treatingUserId } = extra;
  const actions = (
    <SessionActions session={live(status)} role={role} treatingUserId={treatingUserId} />
  );
  return renderWithQuery(
    provider ? (
      <SessionOperatorProvider token="tok" userId={USER}>
        {actions}
      </SessionOperatorProvider>
    ) : (
      actions
    ),
    { origin: server.origin },
  );
}

const commands = () => server.requests.filter((r) => r.path.startsWith('/api/v1/sessions/'));

describe('SessionActions', () => {
  it('offers Pause and Stop on a running session and sends pause with the bearer token', async () => {
    renderActions('running', 'supervisor');
    const group = screen.getByRole('group', { name: 'Operate the session in Room 1' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Pause', 'Stop']);
    fireEvent.click(screen.getByRole('button', { name: 'Pause the session in Room 1' }));
    await waitFor(() => expect(commands()).toHaveLength(1));
    expect(commands()[0]).toMatchObject({
      method: 'POST',
      path: `/api/v1/sessions/${SESSION}/pause`,
      body: {},
      headers: { authorization: 'Bearer tok' },
    });
    await waitFor(() => expect(screen.getByRole('button', { name: /^Pause/ })).toBeEnabled());
  });

  it('offers Start when ready and Resume and Stop when paused', () => {
    renderActions('ready', 'practitioner');
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Start']);
    cleanup();
    renderActions('paused', 'supervisor');
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Resume', 'Stop']);
  });

  it('shows a 409 in words next to the control, naming the session’s real state', async () => {
    server.route('POST', '/api/v1/sessions/:id/:command', () => ({
      status: 409,
      headers: { 'content-type': 'application/problem+json' },
      body: {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'a session cannot start when running',
        currentStatus: 'running',
      },
    }));
    renderActions('ready', 'supervisor');
    fireEvent.click(screen.getByRole('button', { name: 'Start the session in Room 1' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not start: the session is already running. The board will catch up.',
    );
  });

  it('drops a refusal once the live feed shows the session in another state', async () => {
    server.route('POST', '/api/v1/sessions/:id/:command', () =>
      problem(409, 'Conflict', 'a session cannot start when running'),
    );
    const tree = (status: LiveSession['status']) => (
      <ApiOriginProvider origin={server.origin}>
        <SessionOperatorProvider token="tok" userId={USER}>
          <SessionActions session={{ ...live(status), updateSeq: 9 }} role="supervisor" />
        </SessionOperatorProvider>
      </ApiOriginProvider>
    );
    const { rerender } = render(tree('ready'));
    fireEvent.click(screen.getByRole('button', { name: /^Start/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not start: a session cannot start when running.',
    );
    rerender(tree('ready'));
    expect(screen.getByRole('alert')).toBeVisible();
    rerender(tree('running'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Pause', 'Stop']);
  });

  it('shows the API’s reason for a 403', async () => {
    server.route('POST', '/api/v1/sessions/:id/:command', () =>
      problem(
        403,
        'Forbidden',
        'only the treating practitioner or a supervisor may operate this session',
      ),
    );
    renderActions('running', 'practitioner');
    fireEvent.click(screen.getByRole('button', { name: /^Pause/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not allowed: only the treating practitioner or a supervisor may operate this session.',
    );
  });

  it.each<Role>(['scheduler', 'admin'])('shows no controls to a %s', (role) => {
    renderActions('running', role);
    expect(screen.queryByRole('group')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('hides the controls from a practitioner on another practitioner’s session', () => {
    renderActions('running', 'practitioner', { treatingUserId: OTHER_USER });
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    renderActions('running', 'practitioner', { treatingUserId: USER });
    expect(screen.getAllByRole('button')).toHaveLength(2);
    cleanup();
    // A supervisor operates every session of their clinics.
    renderActions('running', 'supervisor', { treatingUserId: OTHER_USER });
    expect(screen.getAllByRole('button')).toHaveLength(2);
  });

  it('renders nothing without an operator (no token to send with)', () => {
    renderActions('running', 'supervisor', { provider: false });
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('the stop dialog', () => {
  it('asks for the adverse event, refuses no choice and "other" without notes, then stops', async () => {
    renderActions('running', 'supervisor');
    const stop = screen.getByRole('button', { name: 'Stop the session in Room 1' });
    stop.focus();
    fireEvent.click(stop);
    const dialog = screen.getByRole('dialog', { name: 'Stop the session' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleDescription(/Room 1 · O\.M\./);
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    const kinds = within(dialog).getByRole('group', { name: 'Any adverse event?' });
    expect(
      within(kinds)
        .getAllByRole('radio')
        .map((r) => (r as HTMLInputElement).value),
    ).toEqual(['none', 'vasovagal', 'bruising', 'bleeding', 'other']);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop session' }));
    expect(within(dialog).getByText('Choose one: “None” if nothing happened.')).toBeVisible();
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Other (describe)' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop session' }));
    expect(within(dialog).getByLabelText('Notes (required)')).toHaveAccessibleDescription(
      'describe the adverse event when kind is other',
    );
    expect(commands()).toHaveLength(0);

    fireEvent.click(within(dialog).getByRole('radio', { name: 'Bruising' }));
    fireEvent.change(within(dialog).getByLabelText('Notes (optional)'), {
      target: { value: '  small bruise at needle site 1  ' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop session' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(commands()).toEqual([
      expect.objectContaining({
        path: `/api/v1/sessions/${SESSION}/stop`,
        body: { adverseEvent: { kind: 'bruising', notes: 'small bruise at needle site 1' } },
      }),
    ]);
    expect(document.activeElement).toBe(stop);
  });

  it('keeps the focus inside, closes on Escape without stopping, and returns the focus', () => {
    renderActions('paused', 'supervisor');
    const stop = screen.getByRole('button', { name: /^Stop/ });
    stop.focus();
    fireEvent.click(stop);
    const dialog = screen.getByRole('dialog');
    const first = within(dialog).getByRole('radio', { name: 'None' });
    const last = within(dialog).getByRole('button', { name: 'Don’t stop' });
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(stop);
    expect(commands()).toHaveLength(0);
  });

  it('keeps the dialog open with the refusal in words when the stop fails', async () => {
    server.route('POST', '/api/v1/sessions/:id/:command', () =>
      problem(403, 'Forbidden', 'the scheduler role may not operate e-stim sessions'),
    );
    renderActions('running', 'supervisor');
    fireEvent.click(screen.getByRole('button', { name: /^Stop/ }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'None' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop session' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Not allowed: the scheduler role may not operate e-stim sessions.',
    );
    expect(commands()[0]?.body).toEqual({ adverseEvent: { kind: 'none' } });
  });
});

describe('BodySilhouette', () => {
  it('marks each channel on its view and lists muscle, side and referral zones', () => {
    renderWithQuery(<BodySilhouette plan={plan} />);
    const figure = screen.getByRole('img');
    expect(figure).toHaveAccessibleName(
      'Needle sites, front and back. Ch 1: right infraspinatus — refers to deep front of the shoulder, front and lateral upper arm, radial forearm, medial border of the scapula. Ch 2: left tibialis anterior — refers to anterior shin, anteromedial ankle, dorsum of the foot, big toe',
    );
    expect(figure).toHaveAttribute('height', '64');
    const marks = [...figure.querySelectorAll('[data-channel]')];
    expect(marks.map((m) => m.textContent?.replace(/^Ch.*?toe|^Ch.*?scapula/, ''))).toEqual([
      '1',
      '2',
    ]);
    // Infraspinatus from behind (right half of the drawing), tibialis anterior from the front.
    const x = (m: Element) => Number(m.querySelector('circle')?.getAttribute('cx'));
    expect(x(marks[0]!)).toBeGreaterThan(40);
    expect(x(marks[1]!)).toBeLessThan(40);
  });
});
