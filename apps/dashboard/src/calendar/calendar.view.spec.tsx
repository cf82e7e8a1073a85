import {
  clinicRoom,
  LIVE_NAMESPACE,
  type Appointment,
  type AppointmentTypeView,
  type Clinic,
  type PatientDetail,
  type PractitionerView,
  type Room,
} from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useMemo } from 'react';
import { LiveBus, LiveBusContext } from '../live/live.bus';
import { useLiveSocket } from '../live/live.socket';
import { renderWithQuery } from '../testing/testing.render';
import {
  json,
  startTestServer,
  type RecordedRequest,
  type TestServer,
} from '../testing/testing.server';
import { CalendarView } from './calendar.view';

// The calendar against a real HTTP + socket.io server (no mocked fetch or socket). Jest runs in UTC
// (jest.config.cjs): a time shown on the browser's clock instead of the clinic's would read wrong.

const ORG = '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80';
const NY = '22222222-2222-4222-8222-222222222222';
const LDN = '11111111-1111-4111-8111-111111111111';
const ROOM_NY = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1';
const ROOM_LDN = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa2';
const PRAC = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1';
const TYPE = 'cccccccc-cccc-4ccc-8ccc-ccccccccccc1';
const PATIENT = 'dddddddd-dddd-4ddd-8ddd-ddddddddddd1';
const PATIENT2 = 'dddddddd-dddd-4ddd-8ddd-ddddddddddd2';
const TOKEN = 'tok';

const clinic = (id: string, name: string, timeZone: string): Clinic => ({
  id,
  organisationId: ORG,
  name,
  timeZone,
  phone: null,
});
const NEW_YORK = clinic(NY, 'New York Chelsea', 'America/New_York');
const LONDON = clinic(LDN, 'London Bridge', 'Europe/London');
const rooms: Record<string, Room[]> = {
  [NY]: [
    { id: ROOM_NY, clinicId: NY, name: 'Treatment room 1', hasStimulator: true, active: true },
  ],
  [LDN]: [
    { id: ROOM_LDN, clinicId: LDN, name: 'Treatment room A', hasStimulator: true, active: true },
  ],
};
const practitioners: PractitionerView[] = [
  {
    id: PRAC,
    name: 'Pat Practitioner',
    dryNeedlingCertExpiresOn: '2030-12-31',
    estimQualified: true,
    clinicIds: [NY, LDN],
    credentials: 'PT',
    active: true,
  },
];
const types: AppointmentTypeView[] = [
  {
    id: TYPE,
    name: 'Dry needling 30 min',
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    requiresDryNeedlingCert: true,
    usesEstim: false,
    colour: '#1f7a8c',
    active: true,
  },
];

function appointment(
  over: Partial<Appointment> & Pick<Appointment, 'id' | 'start' | 'end'>,
): Appointment {
  return {
    clinicId: NY,
    patientId: PATIENT,
    practitionerId: PRAC,
    roomId: ROOM_NY,
    appointmentTypeId: TYPE,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    status: 'booked',
    version: 1,
    seriesId: null,
    screeningOverrideReason: null,
    cancelledReason: null,
    rescheduleRequestedAt: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...over,
  };
}

function patient(id: string, givenName: string, familyName: string): PatientDetail {
  const none = { allowed: true, blocks: [], needsOverride: false, warnings: [] };
  return {
    id,
    clinicId: NY,
    givenName,
    familyName,
    dateOfBirth: '1980-01-01',
    phone: '+12125550100',
    email: null,
    preferredChannel: 'sms',
    timeZone: 'America/New_York',
    createdAt: '2030-01-01T00:00:00.000Z',
    screening: {
      consents: [],
      contraindications: [],
      summary: { asOf: '2030-01-01', dry_needling: none, estim: none },
    },
  };
}
const patients: Record<string, PatientDetail> = {
  [PATIENT]: patient(PATIENT, 'Sofia', 'Castellanos'),
  [PATIENT2]: patient(PATIENT2, 'Marcus', 'Thornbury'),
};

let server: TestServer;
let diary: Appointment[];
beforeEach(async () => {
  server = await startTestServer({ token: TOKEN, clinicIds: [NY, LDN] });
  diary = [];
  server
    .route('GET', '/api/v1/appointments', (req: RecordedRequest) => {
      const query = new URL(req.path, 'http://x').searchParams;
      const [from, to] = [Date.parse(query.get('from') ?? ''), Date.parse(query.get('to') ?? '')];
      return json(
        200,
        diary.filter(
          (a) =>
            a.clinicId === query.get('clinicId') &&
            Date.parse(a.start) < to &&
            Date.parse(a.end) > from,
        ),
      );
    })
    .route('GET', '/api/v1/appointments/:id', (_req, { id }) =>
      json(
        200,
        diary.find((a) => a.id === id),
      ),
    )
    .route('GET', '/api/v1/clinics/:id/rooms', (_req, { id }) => json(200, rooms[id!] ?? []))
    .route('GET', '/api/v1/practitioners', () => json(200, practitioners))
    .route('GET', '/api/v1/appointment-types', () => json(200, types))
    .route('GET', '/api/v1/patients/:id', (_req, { id }) => json(200, patients[id!]))
    .route('POST', '/api/v1/patients/search', patientSearch([]));
});

/** `POST /patients/search`: the calendar's lookup by ids, or the slot finder's search answered with `found`. */
function patientSearch(found: string[]) {
  return (req: { body: unknown }) => {
    const ids = (req.body as { ids?: string[] } | undefined)?.ids;
    const items = (ids ?? found).map((id) => patients[id]).filter(Boolean);
    return json(200, { items, limit: 20, offset: 0, nextOffset: null });
  };
}
afterEach(async () => {
  cleanup();
  await server.close();
});

/** The calendar inside what the shell gives it: the live socket and its bus. */
function Harness({ clinics }: { clinics: Clinic[] }) {
  const bus = useMemo(() => new LiveBus(), []);
  useLiveSocket({
    token: TOKEN,
    origin: server.origin,
    clinicIds: clinics.map((c) => c.id),
    onNotice: () => undefined,
    onUnauthorized: () => undefined,
    bus,
  });
  return (
    <LiveBusContext.Provider value={bus}>
      <CalendarView
        token={TOKEN}
        user={
          {
            id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee1',
            name: 'Sam',
            email: 'sam@x.test',
            role: 'scheduler',
            organisationId: ORG,
            clinicIds: clinics.map((c) => c.id),
          } as never
        }
        clinics={clinics}
        allClinics={clinics}
        onUnauthorized={() => undefined}
      />
    </LiveBusContext.Provider>
  );
}

function openCalendar(clinics: Clinic[], date: string) {
  renderWithQuery(<Harness clinics={clinics} />, { origin: server.origin });
  fireEvent.change(screen.getByLabelText('Date'), { target: { value: date } });
}

const cards = () => screen.queryAllByTestId('calendar-appointment');

describe('CalendarView', () => {
  it("shows a New York clinic's 09:00 appointment at 09:00 New York time although the browser runs in UTC", async () => {
    // Tuesday 12 March 2030, New York on EDT (UTC-4): 09:00 local is 13:00 UTC.
    diary = [
      appointment({
        id: '00000000-0000-4000-8000-000000000001',
        start: '2030-03-12T13:00:00.000Z',
        end: '2030-03-12T13:30:00.000Z',
      }),
    ];
    openCalendar([NEW_YORK], '2030-03-12');

    await waitFor(() => expect(cards()).toHaveLength(1));
    const card = cards()[0]!;
    await waitFor(() => expect(card).toHaveTextContent('Sofia Castellanos'));
    expect(card).toHaveTextContent('09:00–09:30');
    expect(card).toHaveTextContent('Dry needling 30 min');
    expect(card).toHaveTextContent('booked');
    expect(card).not.toHaveTextContent('13:00');
    expect(screen.getByTestId('calendar-zone')).toHaveTextContent(
      'Times in America/New_York (EDT)',
    );
    // The grid itself places it on the clinic's clock: its row starts 2 h after the 07:00 top of 13 h.
    const event = card.closest('.rbc-event') as HTMLElement;
    expect(parseFloat(event.style.top)).toBeCloseTo((2 / 13) * 100, 1);
    // The week asked for is the clinic's Monday-to-Monday, in UTC instants.
    const asked = server.requests
      .filter((r) => r.path.startsWith('/api/v1/appointments?'))
      .map((r) => Object.fromEntries(new URL(r.path, 'http://x').searchParams));
    expect(asked).toContainEqual({
      clinicId: NY,
      from: '2030-03-11T04:00:00.000Z',
      to: '2030-03-18T04:00:00.000Z',
    });
  });

  it('keeps 09:00 at 09:00 for London and New York across the week their clocks differ by 4 hours', async () => {
    // Week of Monday 17 March 2030: New York on EDT since 10 March, London on GMT until 31 March.
    diary = [
      appointment({
        id: '00000000-0000-4000-8000-000000000002',
        start: '2030-03-19T13:00:00.000Z',
        end: '2030-03-19T13:30:00.000Z',
      }),
      appointment({
        id: '00000000-0000-4000-8000-000000000003',
        clinicId: LDN,
        roomId: ROOM_LDN,
        patientId: PATIENT2,
        start: '2030-03-19T09:00:00.000Z',
        end: '2030-03-19T09:30:00.000Z',
      }),
    ];
    openCalendar([LONDON, NEW_YORK], '2030-03-19');

    await waitFor(() => expect(cards()).toHaveLength(1));
    await waitFor(() => expect(cards()[0]).toHaveTextContent('Marcus Thornbury'));
    expect(cards()[0]).toHaveTextContent('09:00–09:30');
    expect(screen.getByTestId('calendar-zone')).toHaveTextContent('Times in Europe/London (GMT)');

    fireEvent.change(screen.getByLabelText('Clinic'), { target: { value: NY } });
    await waitFor(() => expect(cards()[0]).toHaveTextContent('Sofia Castellanos'));
    expect(cards()).toHaveLength(1);
    expect(cards()[0]).toHaveTextContent('09:00–09:30');
    expect(screen.getByTestId('calendar-zone')).toHaveTextContent(
      'Times in America/New_York (EDT)',
    );

    // The London week the clocks change (Sunday 31 March 2030): labelled with both names.
    fireEvent.change(screen.getByLabelText('Clinic'), { target: { value: LDN } });
    fireEvent.change(screen.getByLabelText('Date'), { target: { value: '2030-03-27' } });
    await waitFor(() =>
      expect(screen.getByTestId('calendar-zone')).toHaveTextContent(
        'Times in Europe/London (GMT / BST)',
      ),
    );
  });

  it("shows a colleague's booking live, without a reload, and its later status change", async () => {
    openCalendar([NEW_YORK], '2030-03-12');
    await waitFor(() => expect(server.watchedClinics()).toEqual([NY]));
    await waitFor(() => expect(screen.queryByText('Loading appointments…')).toBeNull());
    const reads = server.requests.filter((r) => r.path.startsWith('/api/v1/appointments?')).length;
    expect(cards()).toHaveLength(0);

    const booked = appointment({
      id: '00000000-0000-4000-8000-000000000004',
      start: '2030-03-13T14:30:00.000Z',
      end: '2030-03-13T15:00:00.000Z',
    });
    server.io
      .of(LIVE_NAMESPACE)
      .to(clinicRoom(NY))
      .emit('appointment.changed', { change: 'created', appointment: booked });
    await waitFor(() => expect(cards()).toHaveLength(1));
    await waitFor(() => expect(cards()[0]).toHaveTextContent('Sofia Castellanos'));
    expect(cards()[0]).toHaveTextContent('10:30–11:00');

    server.io
      .of(LIVE_NAMESPACE)
      .to(clinicRoom(NY))
      .emit('appointment.changed', {
        change: 'status_changed',
        appointment: { ...booked, status: 'confirmed', version: 2 },
      });
    await waitFor(() => expect(cards()[0]).toHaveTextContent('confirmed'));
    expect(cards()[0]).toHaveAttribute('data-status', 'confirmed');
    // From the socket, not from a re-read.
    expect(server.requests.filter((r) => r.path.startsWith('/api/v1/appointments?')).length).toBe(
      reads,
    );
  });

  it('explains a 409 in words naming what clashes and when', async () => {
    const other = appointment({
      id: '00000000-0000-4000-8000-000000000005',
      patientId: PATIENT2,
      start: '2030-03-12T13:00:00.000Z',
      end: '2030-03-12T13:30:00.000Z',
    });
    diary = [other];
    server
      .route('POST', '/api/v1/patients/search', patientSearch([PATIENT]))
      .route('GET', '/api/v1/slots', () =>
        json(200, {
          timeZone: 'America/New_York',
          gridMinutes: 15,
          slots: [
            {
              start: '2030-03-12T13:00:00.000Z',
              end: '2030-03-12T13:30:00.000Z',
              practitionerId: PRAC,
              roomId: ROOM_NY,
            },
          ],
        }),
      )
      .route('POST', '/api/v1/appointments', () => ({
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail: 'The practitioner is already booked at that time',
          resource: 'practitioner',
          conflictingAppointmentId: other.id,
        },
      }));
    openCalendar([NEW_YORK], '2030-03-12');

    fireEvent.change(await screen.findByLabelText('Search patients by name or phone'), {
      target: { value: 'sof' },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: /Sofia Castellanos born/ }, { timeout: 3000 }),
    );
    fireEvent.change(screen.getByLabelText('From (clinic date)'), {
      target: { value: '2030-03-12' },
    });
    fireEvent.change(screen.getByLabelText('To (clinic date)'), {
      target: { value: '2030-03-12' },
    });
    await waitFor(() => expect(screen.getByLabelText('Appointment type')).toHaveValue(TYPE));
    fireEvent.click(screen.getByRole('button', { name: 'Find free times' }));

    // Slots on the clinic's clock.
    fireEvent.click(
      await screen.findByRole('button', {
        name: /Tue 12 Mar 2030, 09:00 EDT, Pat Practitioner, Treatment room 1/,
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Book' }));

    const alert = await screen.findByText(/already booked/);
    expect(alert).toHaveTextContent(
      'The practitioner is already booked at that time by another appointment, Tue 12 Mar 2030, 09:00 EDT–09:30. Choose another time.',
    );
    const post = server.requests.find(
      (r) => r.method === 'POST' && r.path === '/api/v1/appointments',
    )!;
    expect(post.headers['idempotency-key']).toEqual(expect.any(String));
    expect(post.body).toMatchObject({
      clinicId: NY,
      patientId: PATIENT,
      practitionerId: PRAC,
      roomId: ROOM_NY,
      start: '2030-03-12T13:00:00.000Z',
    });
  });

  it('shows the first page of free times and fetches later ones with the cursor', async () => {
    const slot = (start: string, end: string) => ({
      start,
      end,
      practitionerId: PRAC,
      roomId: ROOM_NY,
    });
    server
      .route('POST', '/api/v1/patients/search', patientSearch([PATIENT]))
      .route('GET', '/api/v1/slots', (req) =>
        new URL(req.path, 'http://x').searchParams.get('cursor') === 'next-page'
          ? json(200, {
              timeZone: 'America/New_York',
              gridMinutes: 15,
              slots: [slot('2030-03-13T14:00:00.000Z', '2030-03-13T14:30:00.000Z')],
              nextCursor: null,
            })
          : json(200, {
              timeZone: 'America/New_York',
              gridMinutes: 15,
              slots: [slot('2030-03-12T14:00:00.000Z', '2030-03-12T14:30:00.000Z')],
              nextCursor: 'next-page',
            }),
      );
    openCalendar([NEW_YORK], '2030-03-12');
    fireEvent.change(await screen.findByLabelText('Search patients by name or phone'), {
      target: { value: 'sof' },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: /Sofia Castellanos born/ }, { timeout: 3000 }),
    );
    fireEvent.change(screen.getByLabelText('From (clinic date)'), {
      target: { value: '2030-03-12' },
    });
    fireEvent.change(screen.getByLabelText('To (clinic date)'), {
      target: { value: '2030-03-14' },
    });
    await waitFor(() => expect(screen.getByLabelText('Appointment type')).toHaveValue(TYPE));
    fireEvent.click(screen.getByRole('button', { name: 'Find free times' }));

    expect(await screen.findByText('1 free times (the earliest; more follow)')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show later times' }));
    expect(await screen.findByText('2 free times')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show later times' })).toBeNull();
    const searches = server.requests.filter((r) => r.path.startsWith('/api/v1/slots'));
    expect(searches.map((r) => new URL(r.path, 'http://x').searchParams.get('cursor'))).toEqual([
      null,
      'next-page',
    ]);
  });

  it('books the chosen slot and shows it on the calendar', async () => {
    const start = '2030-03-12T14:00:00.000Z';
    server
      .route('POST', '/api/v1/patients/search', patientSearch([PATIENT]))
      .route('GET', '/api/v1/slots', () =>
        json(200, {
          timeZone: 'America/New_York',
          gridMinutes: 15,
          slots: [
            { start, end: '2030-03-12T14:30:00.000Z', practitionerId: PRAC, roomId: ROOM_NY },
          ],
        }),
      )
      .route('POST', '/api/v1/appointments', () => {
        const booked = appointment({
          id: '00000000-0000-4000-8000-000000000006',
          start,
          end: '2030-03-12T14:30:00.000Z',
        });
        diary.push(booked);
        return json(201, booked);
      });
    openCalendar([NEW_YORK], '2030-03-12');
    fireEvent.change(await screen.findByLabelText('Search patients by name or phone'), {
      target: { value: 'sof' },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: /Sofia Castellanos born/ }, { timeout: 3000 }),
    );
    fireEvent.change(screen.getByLabelText('From (clinic date)'), {
      target: { value: '2030-03-12' },
    });
    fireEvent.change(screen.getByLabelText('To (clinic date)'), {
      target: { value: '2030-03-14' },
    });
    await waitFor(() => expect(screen.getByLabelText('Appointment type')).toHaveValue(TYPE));
    fireEvent.click(screen.getByRole('button', { name: 'Find free times' }));
    fireEvent.click(await screen.findByRole('button', { name: /10:00 EDT/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Book' }));

    await waitFor(() =>
      expect(screen.getByText('Booked: Tue 12 Mar 2030, 10:00 EDT.')).toHaveFocus(),
    );
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(cards()[0]).toHaveTextContent('10:00–10:30');

    // The details dialog: check in, and the card follows.
    server.route('POST', '/api/v1/appointments/:id/:action', (req, { action }) => {
      expect(action).toBe('check-in');
      expect(req.body).toEqual({ version: 1 });
      return json(200, { ...diary[0], status: 'checked_in', version: 2 });
    });
    fireEvent.click(cards()[0]!);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByRole('heading', { level: 3 })[0]).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Check in' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('dialog')).getByTestId('appointment-status'),
      ).toHaveTextContent('checked in'),
    );
    expect(cards()[0]).toHaveAttribute('data-status', 'checked_in');
  });
});
