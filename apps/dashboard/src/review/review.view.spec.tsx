import {
  downsampleTelemetry,
  ReviewAlert,
  SessionReviewRow,
  simulateTreatment,
  TelemetryPoint,
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

function sessionOf(overrides: Partial<SessionReviewRow> = {}): SessionReviewRow {
  return SessionReviewRow.parse({
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
      alerts: { critical: 1, warning: 2, technical: 1 },
    },
    adverseEvent: {
      kind: 'bruising',
      notes: 'Small bruise at the left upper trapezius insertion.',
    },
    createdAt: '2030-03-12T12:58:00.000Z',
    clinicName: NEW_YORK.name,
    roomName: 'Stim room 1',
    practitionerName: 'Dr Maya Chen',
    patientInitials: 'JR',
    alertCounts: { critical: 1, warning: 2, technical: 1, total: 4 },
    impedanceLimitsOhm: { min: 200, max: 10_000 },
    ...overrides,
  });
}

const ALERT: ReviewAlert = ReviewAlert.parse({
  id: ids(5),
  sessionId: SESSION_ID,
  clinicId: NEW_YORK.id,
  roomId: ids(2),
  kind: 'intensity_over_ceiling',
  severity: 'critical',
  channel: 1,
  muscle: 'upper_trapezius',
  side: 'left',
  message: 'Ch 1 left upper trapezius 13.5 mA > ceiling 12 mA',
  value: 13.5,
  limit: 12,
  clinicName: NEW_YORK.name,
  roomName: 'Stim room 1',
  patientInitials: 'JR',
  status: 'resolved',
  // 09:00:20 EDT: inside the minute of telemetry the charts show.
  raisedAt: '2030-03-12T13:00:20.000Z',
  clearedAt: '2030-03-12T13:00:22.000Z',
  resolvedAt: '2030-03-12T13:00:30.000Z',
  occurrences: 1,
  realertedAt: null,
  acknowledgedAt: '2030-03-12T13:00:30.000Z',
  acknowledgedBy: ids(6),
  acknowledgedByName: 'Dr Sofia Supervisor',
  acknowledgementNote: 'Turned down, patient fine',
  escalatedAt: null,
  acknowledgements: [
    {
      at: '2030-03-12T13:00:30.000Z',
      byUserId: ids(6),
      byName: 'Dr Sofia Supervisor',
      note: 'Turned down, patient fine',
      kind: 'acknowledged',
    },
  ],
});
/** A self-cleared impedance alert on channel 2, dismissed by someone else: history with two names. */
const TECHNICAL: ReviewAlert = ReviewAlert.parse({
  ...ALERT,
  id: ids(7),
  kind: 'impedance_out_of_range',
  severity: 'technical',
  channel: 2,
  muscle: 'levator_scapulae',
  side: 'right',
  message: 'Ch 2 right levator scapulae impedance 15,000 Ω > max 10,000 Ω',
  value: 15_000,
  limit: 10_000,
  raisedAt: '2030-03-12T13:00:40.000Z',
  clearedAt: '2030-03-12T13:00:45.000Z',
  resolvedAt: '2030-03-12T13:00:45.000Z',
  acknowledgedAt: '2030-03-12T13:01:10.000Z',
  acknowledgedBy: ids(8),
  acknowledgedByName: 'Pat Practitioner',
  acknowledgementNote: null,
  acknowledgements: [
    {
      at: '2030-03-12T13:01:10.000Z',
      byUserId: ids(8),
      byName: 'Pat Practitioner',
      note: null,
      kind: 'dismissed',
    },
  ],
});

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

function routeSession(session = sessionOf(), alerts: ReviewAlert[] = [ALERT, TECHNICAL]) {
  server
    .route('GET', '/api/v1/session-reviews/:id', () => json(200, { session, alerts }))
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
      '1 critical, 2 warnings, 1 technical',
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

    // Who and where, from the review's own names.
    const header = screen.getByTestId('session-header');
    expect(within(header).getByTestId('session-clinic')).toHaveTextContent('New York Chelsea');
    expect(within(header).getByTestId('session-room')).toHaveTextContent('Stim room 1');
    expect(within(header).getByTestId('session-practitioner')).toHaveTextContent('Dr Maya Chen');
    expect(within(header).getByTestId('session-patient')).toHaveTextContent('JR');
    expect(within(header).getByTestId('session-alert-count')).toHaveTextContent(
      '1 critical, 2 warnings, 1 technical',
    );

    // Each alert with when its condition held, and who acknowledged or dismissed it, when, with the note.
    const alerts = await screen.findByTestId('session-alerts');
    expect(rowTexts(alerts)).toEqual([
      [
        '09:00:20 EDT',
        ` Critical Intensity above the ceiling ${ALERT.message}`,
        'Condition cleared 09:00:22 EDTClosed 09:00:30 EDT',
        'Acknowledged 09:00:30 EDT by Dr Sofia Supervisor“Turned down, patient fine”',
      ],
      [
        '09:00:40 EDT',
        ` Technical Impedance out of range ${TECHNICAL.message}`,
        'Condition cleared 09:00:45 EDTClosed 09:00:45 EDT',
        'Dismissed 09:01:10 EDT by Pat Practitioner',
      ],
    ]);

    // Per channel, intensity and impedance side by side, each with a text alternative naming its
    // alert markers; the canvas needs a real browser (see the browser test).
    const channels = await screen.findAllByTestId('review-channel');
    expect(channels.map((c) => within(c).getByRole('heading').textContent)).toEqual([
      'Channel 1 · Upper trapezius, left',
      'Channel 2 · Levator scapulae, right',
    ]);
    const [first, second] = channels.map((c) => within(c).getAllByRole('figure'));
    expect(first!.map((f) => f.querySelector('figcaption')?.textContent)).toEqual([
      'Intensity',
      'Impedance',
    ]);
    expect(within(first![0]!).getByRole('img').getAttribute('aria-label')).toMatch(
      /^Channel 1 · Upper trapezius, left: intensity from [\d.]+ mA to [\d.]+ mA over 12 points; ceiling 12 mA, never exceeded\. 1 alert marked: critical at 09:00:20 EDT\.$/,
    );
    expect(within(first![0]!).getByRole('list', { name: /Alert markers/ })).toHaveTextContent(
      '1 critical alert',
    );
    // The channel 1 impedance chart marks nothing; channel 2's marks its technical alert only.
    expect(within(first![1]!).getByRole('img').getAttribute('aria-label')).toMatch(
      /^Channel 1 · Upper trapezius, left: mean impedance from [\d,]+ Ω to [\d,]+ Ω; window 200 Ω to 10,000 Ω, always inside\.$/,
    );
    expect(within(first![1]!).queryByRole('list')).toBeNull();
    expect(within(second![0]!).queryByRole('list')).toBeNull();
    expect(within(second![1]!).getByRole('img').getAttribute('aria-label')).toContain(
      '1 alert marked: technical at 09:00:40 EDT.',
    );
    expect(screen.getByTestId('telemetry-extent')).toHaveTextContent(
      '600 samples; each point is the min, mean and max of 5 s.',
    );

    const paths = server.requests.map((r) => r.path).sort();
    expect(paths).toEqual([
      `/api/v1/session-reviews/${SESSION_ID}`,
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

  it('shows a latched alert as cleared but not acknowledged, and one that came back', async () => {
    const latched = ReviewAlert.parse({
      ...ALERT,
      status: 'latched',
      resolvedAt: null,
      occurrences: 2,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgedByName: null,
      acknowledgementNote: null,
      escalatedAt: '2030-03-12T13:02:20.000Z',
      acknowledgements: [],
    });
    routeSession(sessionOf(), [latched]);
    openView({ sessionId: SESSION_ID });

    const row = (await screen.findByTestId('session-alerts')).querySelector(
      `[data-review-alert="${latched.id}"]`,
    )!;
    expect(row).toHaveTextContent('Came back 1×');
    expect(row).toHaveTextContent('Condition cleared 09:00:22 EDT');
    expect(row).toHaveTextContent('Cleared — not acknowledged');
    expect(row).toHaveTextContent('Escalated 09:02:20 EDT');
    expect(row).toHaveTextContent('Not acknowledged');
    // Never closed: the marker's span runs to where the condition cleared.
    const intensity = within((await screen.findAllByTestId('review-channel'))[0]!).getAllByRole(
      'figure',
    )[0]!;
    expect(within(intensity).getByRole('img').getAttribute('aria-label')).toContain(
      '1 alert marked: critical at 09:00:20 EDT.',
    );
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
    server.route('GET', '/api/v1/session-reviews/:id', () =>
      problem(404, 'Not Found', 'Session not found'),
    );
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

    server.route('GET', '/api/v1/session-reviews/:id', () =>
      problem(401, 'Unauthorized', 'Token expired'),
    );
    const { onUnauthorized } = openView({ sessionId: SESSION_ID });
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
  });
});

describe('SessionReviewView: the list', () => {
  const second = '9e0e7b8e-3c1f-4a51-9d7e-6f1b2c3d4e5f';

  it("lists the selected clinics' sessions newest first, each linking to its review, filtered by status", async () => {
    server.route('GET', '/api/v1/session-reviews', (request) => {
      const q = new URL(request.path, server.origin).searchParams;
      if (q.get('clinicId') === NEW_YORK.id) {
        return json(200, q.get('status') === 'aborted' ? [] : [sessionOf()]);
      }
      const london = sessionOf({
        id: second,
        clinicId: LONDON.id,
        clinicName: LONDON.name,
        roomName: 'Room 2',
        practitionerName: 'Eleanor Whitcombe',
        patientInitials: 'OM',
        alertCounts: { critical: 0, warning: 0, technical: 0, total: 0 },
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
        'Tue 11 Jun 2030, 09:00 BST Completed',
        'London Bridge Room 2',
        'Eleanor Whitcombe Patient OM',
        '10 min',
        'Upper trapezius, Levator scapulae',
        'None',
        'None',
      ],
      [
        'Tue 12 Mar 2030, 09:00 EDT Completed',
        'New York Chelsea Stim room 1',
        'Dr Maya Chen Patient JR',
        '20 min 15 s',
        'Upper trapezius, Levator scapulae',
        '4 alerts 1 critical, 2 warnings, 1 technical',
        'Bruising',
      ],
    ]);
    // A critical alert makes the count stand out.
    expect(within(table).getByText('4 alerts')).toHaveClass('review-over');
    expect(screen.getByRole('link', { name: 'Tue 12 Mar 2030, 09:00 EDT' })).toHaveAttribute(
      'href',
      `#/sessions/${SESSION_ID}`,
    );
    expect(screen.getByRole('radio', { name: 'Completed' })).toBeChecked();

    fireEvent.click(screen.getByRole('radio', { name: 'Aborted' }));
    await waitFor(() =>
      expect(rowTexts(screen.getByTestId('session-list'))).toEqual([
        [
          'Tue 11 Jun 2030, 09:00 BST Aborted',
          'London Bridge Room 2',
          'Eleanor Whitcombe Patient OM',
          '10 min',
          'Upper trapezius, Levator scapulae',
          'None',
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
    server.route('GET', '/api/v1/session-reviews', (request) =>
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
