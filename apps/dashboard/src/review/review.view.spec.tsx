import {
  downsampleTelemetry,
  simulateTreatment,
  TelemetryPoint,
  TreatmentSession,
  type Alert,
  type Clinic,
  type SessionPlan,
  type UserProfile,
} from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import { json, problem, startTestServer, type TestServer } from '../testing/testing.server';
import { type ViewProps } from '../shell/shell.view-props';
import { SessionReviewView } from './review.view';

// The view against a real HTTP server answering as the API's session routes do (real fetch).
// Jest runs with TZ=UTC (jest.config.cjs); the session is New York Chelsea's, so a time shown in
// the process's zone would read four hours later.

const ORG = '0a0a0a0a-0a0a-40a0-80a0-0a0a0a0a0a0a';
const NEW_YORK: Clinic = {
  id: '33333333-3333-4333-8333-333333333333',
  organisationId: ORG,
  name: 'New York Chelsea',
  timeZone: 'America/New_York',
  phone: null,
};
const LONDON: Clinic = {
  id: '11111111-1111-4111-8111-111111111111',
  organisationId: ORG,
  name: 'London Bridge',
  timeZone: 'Europe/London',
  phone: null,
};
const USER: UserProfile = {
  id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
  email: 'supervisor@tautline.test',
  name: 'Dr Sofia Supervisor',
  role: 'supervisor',
  organisationId: ORG,
  clinicIds: [NEW_YORK.id, LONDON.id],
};
const SESSION_ID = '7d0e7b8e-3c1f-4a51-9d7e-6f1b2c3d4e5f';
const ids = (n: number) => `${String(n).repeat(8)}-aaaa-4aaa-8aaa-aaaaaaaaaaaa`;

const PLAN: SessionPlan = {
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
      side: 'right',
      waveform: 'burst',
      frequencyHz: 2,
      pulseWidthUs: 200,
      intensityCeilingMa: 10,
    },
  ],
};
// 09:00 EDT on 12 March 2030 (13:00 UTC).
const STARTED = '2030-03-12T13:00:00.000Z';

function sessionOf(overrides: Partial<TreatmentSession> = {}): TreatmentSession {
  return TreatmentSession.parse({
    id: SESSION_ID,
    appointmentId: ids(1),
    clinicId: NEW_YORK.id,
    roomId: ids(2),
    deviceId: ids(3),
    practitionerId: ids(4),
    status: 'completed',
    plan: PLAN,
    startedAt: STARTED,
    endedAt: '2030-03-12T13:20:30.000Z',
    runningSeconds: 1215,
    runningSince: null,
    summary: {
      runningSeconds: 1215,
      plannedDurationMinutes: 20,
      samples: 12_150,
      firstSampleAt: '2030-03-12T13:00:00.100Z',
      lastSampleAt: '2030-03-12T13:20:15.000Z',
      longestGapSeconds: 2.44,
      channels: [
        {
          channel: 1,
          muscle: 'upper_trapezius',
          side: 'left',
          intensityCeilingMa: 12,
          maxIntensityMa: 13.456,
          avgIntensityMa: 8.2,
          secondsAboveCeiling: 1.5,
          readings: 12_150,
        },
        {
          channel: 2,
          muscle: 'levator_scapulae',
          side: 'right',
          intensityCeilingMa: 10,
          maxIntensityMa: 9.1,
          avgIntensityMa: 6.04,
          secondsAboveCeiling: 0,
          readings: 12_150,
        },
      ],
      alerts: { critical: 1, warning: 2 },
    },
    adverseEvent: {
      kind: 'bruising',
      notes: 'Small bruise at the left upper trapezius insertion.',
    },
    createdAt: '2030-03-12T12:58:00.000Z',
    ...overrides,
  });
}

const ALERT: Alert = {
  id: ids(5),
  sessionId: SESSION_ID,
  clinicId: NEW_YORK.id,
  roomId: ids(2),
  kind: 'intensity_over_ceiling',
  severity: 'critical',
  channel: 1,
  muscle: 'upper_trapezius',
  message: 'Stim room 1, channel 1 (upper trapezius): 13.5 mA is above the 12 mA ceiling',
  status: 'acknowledged',
  raisedAt: '2030-03-12T13:05:00.000Z',
  resolvedAt: '2030-03-12T13:05:02.000Z',
  acknowledgedAt: '2030-03-12T13:05:10.000Z',
  acknowledgedBy: ids(6),
  acknowledgementNote: 'Turned down, patient fine',
  escalatedAt: null,
};

function telemetry(resolution = 5000) {
  const samples = simulateTreatment({
    plan: PLAN,
    durationSeconds: 60,
    seed: 7,
    startAt: STARTED,
  }).map((s) => s.sample);
  const points = downsampleTelemetry(samples, resolution);
  TelemetryPoint.array().parse(points);
  return {
    sessionId: SESSION_ID,
    from: STARTED,
    to: '2030-03-12T13:01:00.000Z',
    bucketMs: resolution,
    samples: samples.length,
    points,
  };
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  cleanup();
  await server.close();
});

function openView(props: Partial<ViewProps> & { sessionId?: string | null } = {}) {
  const onUnauthorized = jest.fn();
  renderWithQuery(
    <SessionReviewView
      token="tok-1"
      user={USER}
      clinics={[NEW_YORK, LONDON]}
      allClinics={[NEW_YORK, LONDON]}
      onUnauthorized={onUnauthorized}
      {...props}
    />,
    { origin: server.origin },
  );
  return { onUnauthorized };
}

function routeSession(session = sessionOf(), alerts: Alert[] = [ALERT]) {
  server
    .route('GET', '/api/v1/sessions/:id', () => json(200, session))
    .route('GET', '/api/v1/alerts', () => json(200, alerts))
    .route('GET', '/api/v1/sessions/:id/telemetry', (request) => {
      const resolution = new URL(request.path, server.origin).searchParams.get('resolution');
      return json(200, telemetry(resolution ? Number(resolution) : 5000));
    });
}

const rowTexts = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

describe('SessionReviewView: one session', () => {
  it("shows the session on the clinic's clock, its summary figures, plan, alerts and adverse event", async () => {
    routeSession();
    openView({ sessionId: SESSION_ID });

    expect(
      await screen.findByRole('heading', {
        name: 'Session of Tue 12 Mar 2030, 09:00 EDT at New York Chelsea',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('session-started')).toHaveTextContent('Tue 12 Mar 2030, 09:00 EDT');
    expect(screen.getByTestId('session-ended')).toHaveTextContent('Tue 12 Mar 2030, 09:20 EDT');
    expect(screen.getByTestId('session-running-time')).toHaveTextContent(
      '20 min 15 s of 20 min planned',
    );
    // Nothing on the process's UTC clock.
    expect(document.body).not.toHaveTextContent(/13:0\d|UTC/);

    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(within(summary).getByTestId('summary-samples')).toHaveTextContent('12150');
    expect(within(summary).getByTestId('summary-longest-gap')).toHaveTextContent('2.4 s');
    expect(within(summary).getByTestId('summary-alerts')).toHaveTextContent(
      '1 critical, 2 warnings',
    );
    expect(within(summary).getByText('09:00:00 EDT to 09:20:15 EDT')).toBeInTheDocument();
    expect(rowTexts(screen.getByTestId('summary-channels'))).toEqual([
      ['Channel 1 · Upper trapezius, left', '13.46 mA', '8.2 mA', '12 mA', '1.5 s', '12150'],
      ['Channel 2 · Levator scapulae, right', '9.1 mA', '6.04 mA', '10 mA', '0 s', '12150'],
    ]);
    // Above the ceiling stands out.
    expect(within(summary).getByText('13.46 mA')).toHaveClass('review-over');

    expect(rowTexts(screen.getByTestId('session-plan'))).toEqual([
      ['1', 'Upper trapezius', 'Left', 'Biphasic, symmetric', '4 Hz', '250 µs', '12 mA'],
      ['2', 'Levator scapulae', 'Right', 'Burst', '2 Hz', '200 µs', '10 mA'],
    ]);

    const adverse = screen.getByRole('region', { name: 'Adverse event' });
    expect(adverse).toHaveTextContent('Bruising');
    expect(adverse).toHaveTextContent('Small bruise at the left upper trapezius insertion.');

    const alerts = await screen.findByTestId('session-alerts');
    expect(rowTexts(alerts)).toEqual([
      [
        'Intensity above the ceiling',
        'Critical',
        ALERT.message,
        '09:05:00 EDT',
        '09:05:02 EDT',
        '09:05:10 EDT',
        '—',
        'Turned down, patient fine',
      ],
    ]);

    // One figure per channel with a text alternative; the canvas needs a real browser (see the browser test).
    const figures = await screen.findAllByRole('figure');
    expect(figures.map((f) => f.querySelector('figcaption')?.textContent)).toEqual([
      'Channel 1 · Upper trapezius, left',
      'Channel 2 · Levator scapulae, right',
    ]);
    expect(within(figures[0]!).getByRole('img').getAttribute('aria-label')).toMatch(
      /^Channel 1 · Upper trapezius, left: intensity from [\d.]+ mA to [\d.]+ mA over 12 points; ceiling 12 mA, never exceeded\.$/,
    );
    expect(screen.getByTestId('telemetry-extent')).toHaveTextContent(
      '600 samples; each point is the min, mean and max of 5 s.',
    );

    const paths = server.requests.map((r) => r.path).sort();
    expect(paths).toEqual([
      `/api/v1/alerts?sessionId=${SESSION_ID}&limit=500`,
      `/api/v1/sessions/${SESSION_ID}`,
      `/api/v1/sessions/${SESSION_ID}/telemetry`,
    ]);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('asks for another bucket size and redraws from the answer', async () => {
    routeSession();
    openView({ sessionId: SESSION_ID });
    await screen.findByTestId('telemetry-extent');

    fireEvent.change(screen.getByLabelText('Bucket'), { target: { value: '1000' } });

    await waitFor(() =>
      expect(screen.getByTestId('telemetry-extent')).toHaveTextContent(
        'each point is the min, mean and max of 1 s.',
      ),
    );
    expect(server.requests.map((r) => r.path)).toContain(
      `/api/v1/sessions/${SESSION_ID}/telemetry?resolution=1000`,
    );
    expect(
      within(screen.getAllByRole('figure')[0]!).getByRole('img').getAttribute('aria-label'),
    ).toContain('over 60 points');
  });

  it('says what is missing for an aborted session without summary, telemetry or alerts', async () => {
    routeSession(sessionOf({ status: 'aborted', summary: null, adverseEvent: null }), []);
    server.route('GET', '/api/v1/sessions/:id/telemetry', () =>
      json(200, { ...telemetry(), samples: 0, points: [] }),
    );
    openView({ sessionId: SESSION_ID });

    expect(await screen.findByText('Not recorded: the session was aborted.')).toBeInTheDocument();
    expect(screen.getByText('No summary was stored for this session.')).toBeInTheDocument();
    expect(
      await screen.findByText('No telemetry was stored for this session.'),
    ).toBeInTheDocument();
    expect(await screen.findByText('No alerts were raised.')).toBeInTheDocument();
  });

  it('shows problems in words: a session that is not there, a failing telemetry read, an expired token', async () => {
    server.route('GET', '/api/v1/sessions/:id', () =>
      problem(404, 'Not Found', 'Session not found'),
    );
    server.route('GET', '/api/v1/alerts', () => json(200, []));
    server.route('GET', '/api/v1/sessions/:id/telemetry', () =>
      problem(404, 'Not Found', 'Session not found'),
    );
    openView({ sessionId: SESSION_ID });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the session. This session does not exist or is not in one of your clinics.',
    );
    cleanup();

    routeSession();
    server.route('GET', '/api/v1/sessions/:id/telemetry', () =>
      problem(503, 'Service Unavailable'),
    );
    openView({ sessionId: SESSION_ID });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the telemetry. Tautline is having trouble right now. Please try again in a moment.',
    );
    // The rest of the review is still there.
    expect(screen.getByRole('region', { name: 'Adverse event' })).toHaveTextContent('Bruising');
    cleanup();

    server.route('GET', '/api/v1/sessions/:id', () =>
      problem(401, 'Unauthorized', 'Token expired'),
    );
    const { onUnauthorized } = openView({ sessionId: SESSION_ID });
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
  });
});

describe('SessionReviewView: the list', () => {
  const second = '9e0e7b8e-3c1f-4a51-9d7e-6f1b2c3d4e5f';

  it("lists the selected clinics' sessions newest first, each linking to its review, filtered by status", async () => {
    server.route('GET', '/api/v1/sessions', (request) => {
      const q = new URL(request.path, server.origin).searchParams;
      if (q.get('clinicId') === NEW_YORK.id) {
        return json(200, q.get('status') === 'aborted' ? [] : [sessionOf()]);
      }
      const london = sessionOf({
        id: second,
        clinicId: LONDON.id,
        startedAt: '2030-06-11T08:00:00.000Z',
        endedAt: '2030-06-11T08:10:00.000Z',
        runningSeconds: 600,
        adverseEvent: { kind: 'none' },
      });
      return json(
        200,
        q.get('status') === 'aborted'
          ? [{ ...london, status: 'aborted', adverseEvent: null }]
          : [london],
      );
    });
    openView();

    const table = await screen.findByTestId('session-list');
    await waitFor(() => expect(rowTexts(table)).toHaveLength(2));
    expect(rowTexts(table)).toEqual([
      [
        'Tue 11 Jun 2030, 09:00 BST',
        'London Bridge',
        'Completed',
        '10 min',
        'Upper trapezius, Levator scapulae',
        'None',
      ],
      [
        'Tue 12 Mar 2030, 09:00 EDT',
        'New York Chelsea',
        'Completed',
        '20 min 15 s',
        'Upper trapezius, Levator scapulae',
        'Bruising',
      ],
    ]);
    expect(screen.getByRole('link', { name: 'Tue 12 Mar 2030, 09:00 EDT' })).toHaveAttribute(
      'href',
      `#/sessions/${SESSION_ID}`,
    );
    expect(screen.getByRole('radio', { name: 'Completed' })).toBeChecked();

    fireEvent.click(screen.getByRole('radio', { name: 'Aborted' }));
    await waitFor(() =>
      expect(rowTexts(screen.getByTestId('session-list'))).toEqual([
        [
          'Tue 11 Jun 2030, 09:00 BST',
          'London Bridge',
          'Aborted',
          '10 min',
          'Upper trapezius, Levator scapulae',
          'Not recorded',
        ],
      ]),
    );

    fireEvent.click(screen.getByRole('radio', { name: 'All' }));
    await waitFor(() => expect(rowTexts(screen.getByTestId('session-list'))).toHaveLength(2));
    const queries = server.requests.map((r) => new URL(r.path, server.origin).searchParams);
    expect(
      queries.filter((q) => q.get('clinicId') === NEW_YORK.id).map((q) => q.get('status')),
    ).toEqual(['completed', 'aborted', null]);
  });

  it("names the clinic whose sessions could not be loaded and still lists the others'", async () => {
    server.route('GET', '/api/v1/sessions', (request) =>
      request.path.includes(LONDON.id)
        ? problem(429, 'Too Many Requests', undefined, { headers: { 'Retry-After': '30' } })
        : json(200, [sessionOf()]),
    );
    openView();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the sessions of London Bridge. Too many attempts. Try again in 30 seconds.',
    );
    await waitFor(() => expect(rowTexts(screen.getByTestId('session-list'))).toHaveLength(1));
  });

  it('asks for a clinic when none is selected', () => {
    openView({ clinics: [] });
    expect(screen.getByText('Select a clinic to see its sessions.')).toBeInTheDocument();
    expect(server.requests).toEqual([]);
  });
});
