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
    message:
      'Room 1 · channel 1 (left upper trapezius): 15 mA is above the planned ceiling of 12 mA',
    status: 'open',
    raisedAt: new Date(Date.now() - 30_000).toISOString(),
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgementNote: null,
    escalatedAt: null,
    ...patch,
  };
}

/** The shell's live wiring, minus the shell: its socket hook, its bus and its indicator. */
function Harness({ origin }: { origin: string }) {
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
        user={USER}
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

async function openBoard() {
  renderWithQuery(<Harness origin={server.origin} />, { origin: server.origin });
  const tile = await screen.findByRole('article', { name: 'Room 1' });
  await waitFor(() => expect(within(tile).getByTestId('board-initials')).toHaveTextContent('O.B.'));
  await waitFor(() => expect(snapshotFetches()).toHaveLength(1));
  return tile;
}

describe('LiveBoardView', () => {
  it('shows every room as a tile, the running session from the snapshot, then applies session.updated deltas', async () => {
    const tile = await openBoard();
    const idle = screen.getByRole('article', { name: 'Room 2' });
    expect(within(idle).getByTestId('board-status')).toHaveTextContent('Idle');

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
      expect(
        within(screen.getByRole('article', { name: 'Room 1' })).getByTestId('board-status'),
      ).toHaveTextContent('Idle'),
    );
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

  it('orders the tray critical first, newest first, and keeps it live from alert events', async () => {
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
    expect((await items()).map((li) => li.getAttribute('data-alert')![1])).toEqual(['2', '1']);
    expect((await items())[0]).toHaveTextContent('Acknowledged by Sam Supervisor');
    expect((await items())[0]).toHaveTextContent('On my way');

    await until(() => server.watchedClinics().includes(CLINIC));
    const critical = alert({
      id: 'e3000000-0000-4000-8000-000000000000',
      raisedAt: new Date().toISOString(),
    });
    emitAlert('alert.raised', critical);
    await waitFor(async () =>
      expect((await items()).map((li) => li.getAttribute('data-alert')![1])).toEqual([
        '3',
        '2',
        '1',
      ]),
    );
    expect(screen.getByTestId('board-announcer')).toHaveTextContent(
      `Critical alert: ${critical.message}`,
    );
    expect((await items())[0]).toHaveTextContent('Open');
    expect((await items())[0]).toHaveTextContent('Room 1 · channel 1 (left upper trapezius)');

    emitAlert('alert.escalated', { ...critical, escalatedAt: new Date().toISOString() });
    await waitFor(async () =>
      expect(within((await items())[0]!).getByTestId('board-alert-status')).toHaveTextContent(
        'Open · escalated',
      ),
    );

    // Mute is remembered for this screen.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Mute sound on this screen' }));
    expect(window.localStorage.getItem('tautline.board.muted')).toBe('1');
  });

  it('shows a clinic-level "monitoring degraded" alert as Technical, below the patients\' alerts, with no room', async () => {
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
        message,
        raisedAt: new Date().toISOString(),
      }),
    );
    await waitFor(async () =>
      expect((await items()).map((li) => li.getAttribute('data-alert')![1])).toEqual(['1', '9']),
    );
    const degraded = (await items())[1]!;
    expect(degraded).toHaveTextContent('Technical');
    expect(within(degraded).getByTestId('board-alert-message').textContent).toBe(message);
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
        acknowledgementNote: body.note ?? null,
      });
    });
    await openBoard();
    const button = await screen.findByRole('button', { name: `Acknowledge: ${open.message}` });
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
