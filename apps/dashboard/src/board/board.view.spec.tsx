import {
  clinicRoom,
  DEFAULT_SAFETY_THRESHOLDS,
  LIVE_NAMESPACE,
  type Alert,
  type Clinic,
  type LiveSession,
  type Room,
} from '@tautline/domain';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useMemo } from 'react';
import { LiveBus, LiveBusContext } from '../live/live.bus';
import { LiveIndicator } from '../live/live.indicator';
import { useLiveSocket } from '../live/live.socket';
import { renderWithQuery } from '../testing/testing.render';
import { json, startTestServer, until, type TestServer } from '../testing/testing.server';
import { LiveBoardView } from './board.view';

// The board against a real HTTP + socket.io server (src/testing/testing.server.ts): real fetch for the
// snapshot, rooms and alerts, and the shell's real socket hook and bus relaying what the server emits.

const CLINIC = '11111111-1111-4111-8111-111111111111';
const ORG = '99999999-9999-4999-8999-999999999999';
const USER = {
  id: '77777777-7777-4777-8777-777777777777',
  email: 'sup@example.test',
  name: 'Sam Supervisor',
  role: 'supervisor' as const,
  organisationId: ORG,
  clinicIds: [CLINIC],
};
const SCHEDULER = {
  ...USER,
  id: '88888888-8888-4888-8888-888888888888',
  name: 'Sandy Scheduler',
  role: 'scheduler' as const,
};
const clinic: Clinic = {
  id: CLINIC,
  organisationId: ORG,
  name: 'London Bridge',
  timeZone: 'Europe/London',
  phone: null,
};
const ROOM_1 = 'a1111111-1111-4111-8111-111111111111';
const ROOM_2 = 'a2222222-2222-4222-8222-222222222222';
const rooms: Room[] = [
  { id: ROOM_1, clinicId: CLINIC, name: 'Room 1', hasStimulator: true, active: true },
  { id: ROOM_2, clinicId: CLINIC, name: 'Room 2', hasStimulator: true, active: true },
];
const SESSION = 'b1111111-1111-4111-8111-111111111111';

function session(patch: Partial<LiveSession> & { intensity?: number } = {}): LiveSession {
  const { intensity = 6.2, ...rest } = patch;
  const now = new Date().toISOString();
  return {
    sessionId: SESSION,
    clinicId: CLINIC,
    roomId: ROOM_1,
    roomName: 'Room 1',
    deviceId: 'c1111111-1111-4111-8111-111111111111',
    appointmentId: 'd1111111-1111-4111-8111-111111111111',
    patientInitials: 'O.B.',
    practitionerName: 'Eleanor Whitcombe',
    status: 'running',
    plan: {
      plannedDurationMinutes: 20,
      channels: [
        {
          channel: 1,
          muscle: 'upper_trapezius',
          side: 'left',
          waveform: 'biphasic_symmetric',
          frequencyHz: 4,
          pulseWidthUs: 250,
          intensityCeilingMa: 12,
        },
        {
          channel: 2,
          muscle: 'levator_scapulae',
          side: 'left',
          waveform: 'biphasic_symmetric',
          frequencyHz: 4,
          pulseWidthUs: 250,
          intensityCeilingMa: 10,
        },
      ],
    },
    thresholds: DEFAULT_SAFETY_THRESHOLDS,
    startedAt: new Date(Date.now() - 125_000).toISOString(),
    runningSeconds: 0,
    runningSince: new Date(Date.now() - 125_000).toISOString(),
    latest: {
      seq: 10,
      at: now,
      receivedAt: now,
      batteryPct: 81,
      flags: [],
      channels: [
        {
          channel: 1,
          intensityMa: intensity,
          frequencyHz: 4,
          pulseWidthUs: 250,
          impedanceOhm: 1500,
        },
        { channel: 2, intensityMa: 4, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 25_000 },
      ],
    },
    openAlerts: [],
    updateEpoch: 1_000,
    updateSeq: 5,
    ...rest,
  };
}

function alert(patch: Partial<Alert>): Alert {
  return {
    id: 'e0000000-0000-4000-8000-000000000000',
    sessionId: SESSION,
    clinicId: CLINIC,
    roomId: ROOM_1,
    kind: 'intensity_over_ceiling',
    severity: 'critical',
    channel: 1,
    muscle: 'upper_trapezius',
    side: 'left',
    message:
      'Room 1 · channel 1 (left upper trapezius): 15 mA is above the planned ceiling of 12 mA',
    value: 15,
    limit: 12,
    clinicName: 'London Bridge',
    roomName: 'Room 1',
    patientInitials: 'O.B.',
    status: 'open',
    raisedAt: new Date(Date.now() - 30_000).toISOString(),
    clearedAt: null,
    resolvedAt: null,
    occurrences: 1,
    realertedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgedByName: null,
    acknowledgementNote: null,
    escalatedAt: null,
    ...patch,
  };
}
const HEADLINE = 'Ch 1 left upper trapezius 15 mA > ceiling 12 mA';
const WHERE = 'London Bridge · Room 1 · O.B.';

/** The shell's live wiring, minus the shell: its socket hook, its bus and its indicator. */
function Harness({
  origin,
  user = USER,
}: {
  origin: string;
  user?: typeof USER | typeof SCHEDULER;
}) {
  const bus = useMemo(() => new LiveBus(), []);
  const live = useLiveSocket({
    token: 'tok',
    origin,
    clinicIds: [CLINIC],
    onNotice: () => undefined,
    onUnauthorized: () => undefined,
    bus,
  });
  return (
    <LiveBusContext.Provider value={bus}>
      <LiveIndicator state={live} />
      <LiveBoardView
        token="tok"
        user={user}
        clinics={[clinic]}
        allClinics={[clinic]}
        onUnauthorized={() => undefined}
      />
    </LiveBusContext.Provider>
  );
}

let server: TestServer;
let snapshot: LiveSession[];
let alerts: Alert[];
beforeEach(async () => {
  window.localStorage.clear();
  server = await startTestServer({ token: 'tok', clinicIds: [CLINIC] });
  snapshot = [session()];
  alerts = [];
  server.route('GET', '/api/v1/clinics/:id/rooms', () => json(200, rooms));
  server.route('GET', '/api/v1/alerts', (req) =>
    json(
      200,
      alerts.filter((a) => req.path.includes(`status=${a.status}`)),
    ),
  );
  // The test server's subscribe ack carries no sessions (an empty snapshot): answer REST once it has
  // been given, so the board ends on the REST snapshot as it would on the API's own.
  server.route('GET', '/api/v1/live/sessions', async () => {
    await until(() => server.watchedClinics().includes(CLINIC));
    await new Promise((r) => setTimeout(r, 50));
    return json(200, snapshot);
  });
});
afterEach(async () => {
  cleanup();
  await server.close();
});

const snapshotFetches = () =>
  server.requests.filter(
    (r) => r.method === 'GET' && r.path === `/api/v1/live/sessions?clinicId=${CLINIC}`,
  );
const emit = (event: 'session.updated', payload: LiveSession) =>
  server.io.of(LIVE_NAMESPACE).to(clinicRoom(CLINIC)).emit(event, payload);
const emitAlert = (event: 'alert.raised' | 'alert.updated' | 'alert.escalated', payload: Alert) =>
  server.io.of(LIVE_NAMESPACE).to(clinicRoom(CLINIC)).emit(event, { alert: payload });

async function openBoard(user: typeof USER | typeof SCHEDULER = USER) {
  renderWithQuery(<Harness origin={server.origin} user={user} />, { origin: server.origin });
  const tile = await screen.findByRole('article', { name: 'Room 1' });
  await waitFor(() => expect(within(tile).getByTestId('board-initials')).toHaveTextContent('O.B.'));
  await waitFor(() => expect(snapshotFetches()).toHaveLength(1));
  return tile;
}

describe('LiveBoardView', () => {
  it('shows the running session as a tile and idle rooms in one line, then applies session.updated deltas', async () => {
    const tile = await openBoard();
    await waitFor(() =>
      expect(screen.getByTestId('board-idle')).toHaveTextContent('Idle (1): Room 2'),
    );
    expect(screen.queryByRole('article', { name: 'Room 2' })).toBeNull();
    expect(screen.getByTestId('strip-running')).toHaveTextContent('1 running');
    expect(tile).toHaveAttribute('data-attention', '3');

    expect(within(tile).getByTestId('board-status')).toHaveTextContent('Running');
    expect(within(tile).getByText('Eleanor Whitcombe')).toBeInTheDocument();
    const [ch1, ch2] = within(tile).getAllByTestId('board-channel');
    expect(ch1).toHaveTextContent('Ch 1 · Left upper trapezius');
    expect(within(ch1!).getByTestId('board-intensity')).toHaveTextContent('6.2 / 12.0 mA');
    expect(within(ch1!).getByText('Contact ok')).toBeInTheDocument();
    expect(within(ch2!).getByText(/Contact poor/)).toBeInTheDocument();
    expect(
      within(tile).getByRole('meter', { name: 'Channel 1 Left upper trapezius intensity' }),
    ).toHaveAttribute('aria-valuenow', '6.2');
    expect(within(tile).getByTestId('board-elapsed')).toHaveTextContent(/^02:0[5-7]$/);
    expect(within(tile).getByTestId('board-remaining')).toHaveTextContent(/^17:5[3-5]$/);
    expect(within(tile).getByText('Battery 81%')).toBeInTheDocument();
    expect(within(tile).getByTestId('board-freshness')).toHaveTextContent(/Signal [0-3] s ago/);

    await until(() => server.watchedClinics().includes(CLINIC));
    const delta = session({ updateSeq: 6, intensity: 8.4 });
    Object.assign(delta.latest!, { seq: 11, batteryPct: 80 });
    emit('session.updated', delta);
    await waitFor(() =>
      expect(within(tile).getAllByTestId('board-intensity')[0]).toHaveTextContent('8.4 / 12.0 mA'),
    );
    expect(within(tile).getByText('Battery 80%')).toBeInTheDocument();

    emit(
      'session.updated',
      session({ updateSeq: 7, status: 'paused', runningSince: null, runningSeconds: 130 }),
    );
    await waitFor(() =>
      expect(within(tile).getByTestId('board-status')).toHaveTextContent('Paused'),
    );
    expect(within(tile).getByTestId('board-elapsed')).toHaveTextContent('02:10');
    // No gap so far: one snapshot fetch.
    expect(snapshotFetches()).toHaveLength(1);

    emit(
      'session.updated',
      session({ updateSeq: 8, status: 'completed', runningSince: null, runningSeconds: 130 }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('board-idle')).toHaveTextContent('Idle (2): Room 1, Room 2'),
    );
    expect(screen.queryByRole('article', { name: 'Room 1' })).toBeNull();
    expect(screen.getByTestId('strip-running')).toHaveTextContent('0 running');
  });

  it('re-fetches the snapshot when updateSeq jumps, and shows what the snapshot says', async () => {
    const tile = await openBoard();
    await until(() => server.watchedClinics().includes(CLINIC));
    emit('session.updated', session({ updateSeq: 6, intensity: 7 }));
    await waitFor(() =>
      expect(within(tile).getAllByTestId('board-intensity')[0]).toHaveTextContent('7.0 / 12.0 mA'),
    );
    expect(snapshotFetches()).toHaveLength(1);

    snapshot = [session({ updateSeq: 12, intensity: 9.5 })];
    emit('session.updated', session({ updateSeq: 9, intensity: 9 })); // 7 and 8 were lost
    await waitFor(() => expect(snapshotFetches()).toHaveLength(2));
    await waitFor(() =>
      expect(within(tile).getAllByTestId('board-intensity')[0]).toHaveTextContent('9.5 / 12.0 mA'),
    );
    // An update older than the snapshot is ignored; the next one after it applies.
    emit('session.updated', session({ updateSeq: 11, intensity: 1 }));
    emit('session.updated', session({ updateSeq: 13, intensity: 10 }));
    await waitFor(() =>
      expect(within(tile).getAllByTestId('board-intensity')[0]).toHaveTextContent('10.0 / 12.0 mA'),
    );
    expect(snapshotFetches()).toHaveLength(2);
  });

  it('orders the tray sounding first, then by priority, and keeps it live from alert events', async () => {
    alerts = [
      alert({
        id: 'e1000000-0000-4000-8000-000000000000',
        severity: 'warning',
        kind: 'impedance_out_of_range',
        channel: 2,
        muscle: 'levator_scapulae',
        message:
          'Room 1 · channel 2 (left levator scapulae): impedance 25,000 Ω is above 10,000 Ω (lead off or poor contact)',
        raisedAt: new Date(Date.now() - 10_000).toISOString(),
      }),
      alert({
        id: 'e2000000-0000-4000-8000-000000000000',
        raisedAt: new Date(Date.now() - 120_000).toISOString(),
        status: 'acknowledged',
        acknowledgedAt: new Date().toISOString(),
        acknowledgedBy: USER.id,
        acknowledgementNote: 'On my way',
      }),
    ];
    await openBoard();
    const items = async () =>
      within(await screen.findByTestId('board-alerts')).getAllByTestId('board-alert');
    await waitFor(async () => expect(await items()).toHaveLength(2));
    // The open warning sounds; the acknowledged critical is silent, so it sinks below.
    expect((await items()).map((li) => li.getAttribute('data-alert')![1])).toEqual(['1', '2']);
    expect((await items())[1]).toHaveTextContent('Acknowledged by Sam Supervisor');
    expect((await items())[1]).toHaveTextContent('On my way');
    expect((await items())[0]).toHaveAttribute('data-severity', 'warning');
    expect((await items())[0]).toHaveAttribute('data-status', 'open');

    await until(() => server.watchedClinics().includes(CLINIC));
    const critical = alert({
      id: 'e3000000-0000-4000-8000-000000000000',
      raisedAt: new Date().toISOString(),
    });
    emitAlert('alert.raised', critical);
    await waitFor(async () =>
      expect((await items()).map((li) => li.getAttribute('data-alert')![1])).toEqual([
        '3',
        '1',
        '2',
      ]),
    );
    expect(screen.getByTestId('board-announcer')).toHaveTextContent(`Critical alert: ${HEADLINE}`);
    expect((await items())[0]).toHaveTextContent('Open');
    expect(within((await items())[0]!).getByTestId('board-alert-message')).toHaveTextContent(
      HEADLINE,
    );
    expect(within((await items())[0]!).getByTestId('board-alert-where')).toHaveTextContent(WHERE);
    expect(screen.getByTestId('board-audio')).toHaveAttribute('data-tone', 'high');

    emitAlert('alert.escalated', { ...critical, escalatedAt: new Date().toISOString() });
    await waitFor(async () =>
      expect(within((await items())[0]!).getByTestId('board-alert-status')).toHaveTextContent(
        'Open · escalated',
      ),
    );

    // No permanent mute: a timed pause with its countdown, and back on.
    expect(screen.queryByRole('checkbox', { name: /mute/i })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Pause audio 2 min' }));
    expect(screen.getByTestId('board-audio')).toHaveAttribute('data-state', 'paused');
    expect(screen.getByRole('timer')).toHaveTextContent(/^Audio paused (02:00|01:59)$/);
    fireEvent.click(screen.getByRole('button', { name: 'Resume audio' }));
    expect(screen.getByTestId('board-audio')).toHaveAttribute('data-state', 'on');
  });

  it('shows a clinic-level "monitoring degraded" alert as Technical, below the patients\' alerts, naming the clinic', async () => {
    alerts = [
      alert({
        id: 'e1000000-0000-4000-8000-000000000000',
        severity: 'warning',
        kind: 'impedance_out_of_range',
        raisedAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    ];
    await openBoard();
    const items = async () =>
      within(await screen.findByTestId('board-alerts')).getAllByTestId('board-alert');
    await waitFor(async () => expect(await items()).toHaveLength(1));
    await until(() => server.watchedClinics().includes(CLINIC));
    const message =
      'Live monitoring degraded at London Bridge: the server is overloaded and refusing telemetry.';
    emitAlert(
      'alert.raised',
      alert({
        id: 'e9000000-0000-4000-8000-000000000000',
        kind: 'monitoring_degraded',
        severity: 'technical',
        sessionId: null,
        roomId: null,
        channel: null,
        muscle: null,
        side: null,
        value: null,
        limit: null,
        roomName: null,
        patientInitials: null,
        message,
        raisedAt: new Date().toISOString(),
      }),
    );
    await waitFor(async () =>
      expect((await items()).map((li) => li.getAttribute('data-alert')![1])).toEqual(['1', '9']),
    );
    const degraded = (await items())[1]!;
    expect(degraded).toHaveTextContent('Technical');
    expect(within(degraded).getByTestId('board-alert-message').textContent).toBe(
      'Monitoring degraded',
    );
    expect(within(degraded).getByTestId('board-alert-where').textContent).toBe('London Bridge');
    await waitFor(() =>
      expect(screen.getByTestId('strip-degraded')).toHaveTextContent('Monitoring degraded'),
    );
  });

  it('acknowledges with a note from the keyboard and shows who acknowledged', async () => {
    const open = alert({});
    alerts = [open];
    server.route('POST', '/api/v1/alerts/:id/acknowledge', (req, { id }) => {
      const body = req.body as { note?: string };
      return json(200, {
        ...open,
        id,
        status: 'acknowledged',
        acknowledgedAt: new Date().toISOString(),
        acknowledgedBy: USER.id,
        acknowledgedByName: USER.name,
        acknowledgementNote: body.note ?? null,
      });
    });
    await openBoard();
    const button = await screen.findByRole('button', {
      name: `Acknowledge: ${HEADLINE}, ${WHERE}`,
    });
    fireEvent.click(button);
    const note = screen.getByLabelText('Note (optional)');
    expect(note).toHaveFocus();
    fireEvent.change(note, { target: { value: 'Turned channel 1 down' } });
    fireEvent.keyDown(note, { key: 'Enter' });

    const ack = await screen.findByTestId('board-ack');
    expect(ack).toHaveTextContent(
      /^Acknowledged by Sam Supervisor at \d\d:\d\d:\d\d — “Turned channel 1 down”$/,
    );
    expect(screen.getByTestId('board-alert-status')).toHaveTextContent('Acknowledged');
    expect(screen.queryByRole('button', { name: /^Acknowledge/ })).toBeNull();
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts).toEqual([
      expect.objectContaining({
        path: `/api/v1/alerts/${open.id}/acknowledge`,
        body: { note: 'Turned channel 1 down' },
      }),
    ]);
    expect(posts[0]!.headers.authorization).toBe('Bearer tok');
  });

  it('keeps the acknowledge form when the critical condition clears (latched), then closes the alert', async () => {
    const open = alert({});
    alerts = [open];
    server.route('POST', '/api/v1/alerts/:id/acknowledge', (req, { id }) => {
      const body = req.body as { note?: string };
      return json(200, {
        ...open,
        id,
        status: 'resolved',
        clearedAt: new Date().toISOString(),
        resolvedAt: new Date().toISOString(),
        acknowledgedAt: new Date().toISOString(),
        acknowledgedBy: USER.id,
        acknowledgedByName: USER.name,
        acknowledgementNote: body.note ?? null,
      });
    });
    const tile = await openBoard();
    await waitFor(() => expect(tile).toHaveAttribute('data-attention', '0'));
    fireEvent.click(
      await screen.findByRole('button', { name: `Acknowledge: ${HEADLINE}, ${WHERE}` }),
    );
    const note = screen.getByLabelText('Note (optional)');
    fireEvent.change(note, { target: { value: 'Checked the patient' } });

    // The spike is over before anyone confirmed: the alert latches, still sounding, form untouched.
    await until(() => server.watchedClinics().includes(CLINIC));
    emitAlert('alert.updated', { ...open, status: 'latched', clearedAt: new Date().toISOString() });
    const item = screen.getByTestId('board-alert');
    await waitFor(() =>
      expect(within(item).getByTestId('board-alert-status')).toHaveTextContent(
        'Cleared — not acknowledged',
      ),
    );
    expect(item).toHaveAttribute('data-status', 'latched');
    expect(screen.getByLabelText('Note (optional)')).toHaveValue('Checked the patient');
    expect(within(tile).getByTestId('board-tile-alarm')).toHaveTextContent(
      `${HEADLINE} — cleared, not acknowledged`,
    );
    expect(tile).toHaveAttribute('data-attention', '0');
    expect(screen.getByTestId('board-audio')).toHaveAttribute('data-tone', 'high');

    fireEvent.click(screen.getByRole('button', { name: 'Confirm acknowledge' }));
    await waitFor(() => expect(item).toHaveAttribute('data-status', 'resolved'));
    expect(within(item).getByTestId('board-ack')).toHaveTextContent(
      /^Acknowledged by Sam Supervisor at \d\d:\d\d:\d\d — “Checked the patient”$/,
    );
    expect(screen.getByTestId('board-audio')).toHaveAttribute('data-tone', 'none');
    await waitFor(() => expect(tile).toHaveAttribute('data-attention', '3'));
  });

  it('offers a self-cleared warning for dismissal, as an acknowledgement', async () => {
    alerts = [];
    await openBoard();
    await until(() => server.watchedClinics().includes(CLINIC));
    const warning = alert({
      id: 'e5000000-0000-4000-8000-000000000000',
      kind: 'intensity_jump',
      severity: 'warning',
      value: 5,
      limit: 4,
      status: 'resolved',
      clearedAt: new Date().toISOString(),
      resolvedAt: new Date().toISOString(),
    });
    emitAlert('alert.updated', warning);
    const item = await screen.findByTestId('board-alert');
    expect(within(item).getByTestId('board-alert-status')).toHaveTextContent('Cleared');
    expect(
      within(item).getByRole('button', {
        name: `Dismiss: Ch 1 left upper trapezius rose 5 mA in 1 s > 4 mA, ${WHERE}`,
      }),
    ).toBeInTheDocument();
  });

  it('shows a scheduler the alerts read-only: no acknowledge, no session controls', async () => {
    alerts = [alert({}), alert({ id: 'e6000000-0000-4000-8000-000000000000', status: 'latched' })];
    const tile = await openBoard(SCHEDULER);
    await waitFor(() => expect(screen.getAllByTestId('board-alert')).toHaveLength(2));
    expect(screen.getByTestId('board-readonly')).toHaveTextContent(
      'View only: your role cannot acknowledge alerts.',
    );
    expect(screen.queryByRole('button', { name: /^(Acknowledge|Dismiss)/ })).toBeNull();
    expect(within(tile).queryByRole('button', { name: /^(Pause|Stop)$/ })).toBeNull();
  });

  it('puts the session needing attention first and takes the tray to its tile', async () => {
    const second = session({
      sessionId: 'b2222222-2222-4222-8222-222222222222',
      roomId: ROOM_2,
      roomName: 'Room 2',
      patientInitials: 'J.K.',
    });
    snapshot = [session(), second];
    await openBoard();
    const order = () =>
      screen
        .getAllByTestId('board-tile')
        .map((t) => `${t.getAttribute('data-room')}:${t.getAttribute('data-attention')}`);
    await waitFor(() => expect(order()).toEqual(['Room 1:3', 'Room 2:3']));
    await until(() => server.watchedClinics().includes(CLINIC));
    const offline = alert({
      id: 'e7000000-0000-4000-8000-000000000000',
      sessionId: second.sessionId,
      roomId: ROOM_2,
      roomName: 'Room 2',
      patientInitials: 'J.K.',
      kind: 'device_offline',
      channel: null,
      muscle: null,
      side: null,
      value: 12,
      limit: 5,
    });
    emitAlert('alert.raised', offline);
    await waitFor(() => expect(order()).toEqual(['Room 2:0', 'Room 1:3']));
    expect(screen.getByTestId('strip-offline')).toHaveTextContent('1 offline');
    expect(screen.getByTestId('strip-alarming')).toHaveTextContent('1 alarming');

    fireEvent.click(screen.getByRole('button', { name: 'Device offline 12 s > 5 s' }));
    const tile = screen.getByRole('article', { name: 'Room 2' });
    await waitFor(() => expect(tile).toHaveFocus());
    expect(tile).toHaveAttribute('data-located', 'true');

    // The clinic filter hides its sessions (the strip stays).
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show the tiles of London Bridge' }));
    expect(screen.queryAllByTestId('board-tile')).toHaveLength(0);
    expect(screen.getByTestId('board-strip')).toBeInTheDocument();
  });

  it('greys the board and says since when when the live connection drops, and re-fetches on reconnect', async () => {
    await openBoard();
    await waitFor(() =>
      expect(screen.getByTestId('live-status')).toHaveAttribute('data-state', 'connected'),
    );
    expect(screen.queryByTestId('board-offline')).toBeNull();
    act(() => server.dropLiveConnections());
    expect(await screen.findByTestId('board-offline')).toHaveTextContent(
      /^Offline since \d\d:\d\d:\d\d — readings below are not live\.$/,
    );
    expect(document.querySelector('.board')).toHaveClass('board-offline');
    await waitFor(() => expect(screen.queryByTestId('board-offline')).toBeNull(), {
      timeout: 5000,
    });
    await waitFor(() => expect(snapshotFetches()).toHaveLength(2));
  });
});
