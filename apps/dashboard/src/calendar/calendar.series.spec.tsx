import {
  type Appointment,
  type AppointmentTypeView,
  type Clinic,
  type PatientDetail,
  type PractitionerView,
  type Room,
} from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import { json, startTestServer, type TestServer } from '../testing/testing.server';
import { SlotFinder } from './calendar.slot-finder';

// "Repeat weekly" in the slot finder against a real HTTP server. Jest runs in UTC; times must read
// on the New York clinic's clock.

const ORG = '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80';
const NY = '22222222-2222-4222-8222-222222222222';
const ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1';
const PRAC = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1';
const TYPE = 'cccccccc-cccc-4ccc-8ccc-ccccccccccc1';
const PATIENT = 'dddddddd-dddd-4ddd-8ddd-ddddddddddd1';
const OTHER = '00000000-0000-4000-8000-0000000000ff';
const TOKEN = 'tok';

const clinics: Clinic[] = [
  {
    id: NY,
    organisationId: ORG,
    name: 'New York Chelsea',
    timeZone: 'America/New_York',
    phone: null,
  },
];
const rooms: Room[] = [
  { id: ROOM, clinicId: NY, name: 'Treatment room 1', hasStimulator: true, active: true },
];
const practitioners: PractitionerView[] = [
  {
    id: PRAC,
    name: 'Pat Practitioner',
    dryNeedlingCertExpiresOn: '2030-12-31',
    estimQualified: true,
    clinicIds: [NY],
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
const none = { allowed: true, blocks: [], needsOverride: false, warnings: [] };
const sofia: PatientDetail = {
  id: PATIENT,
  clinicId: NY,
  givenName: 'Sofia',
  familyName: 'Castellanos',
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
const appointment = (id: string, start: string, end: string): Appointment => ({
  id,
  clinicId: NY,
  patientId: PATIENT,
  practitionerId: PRAC,
  roomId: ROOM,
  appointmentTypeId: TYPE,
  start,
  end,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  status: 'booked',
  version: 1,
  seriesId: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee9',
  screeningOverrideReason: null,
  cancelledReason: null,
  rescheduleRequestedAt: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
});

// Tuesdays 12, 19 and 26 March 2030, 10:00 in New York (EDT, UTC-4).
const W1 = '2030-03-12T14:00:00.000Z';
const W2 = '2030-03-19T14:00:00.000Z';
const W3 = '2030-03-26T14:00:00.000Z';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  server
    .route('POST', '/api/v1/patients/search', () =>
      json(200, { items: [sofia], limit: 20, offset: 0, nextOffset: null }),
    ) // search and the calendar's lookup alike
    .route('GET', '/api/v1/patients/:id', () => json(200, sofia))
    .route('GET', '/api/v1/slots', () =>
      json(200, {
        timeZone: 'America/New_York',
        gridMinutes: 15,
        slots: [{ start: W1, end: '2030-03-12T14:30:00.000Z', practitionerId: PRAC, roomId: ROOM }],
      }),
    )
    .route('POST', '/api/v1/appointments/series', () =>
      json(201, {
        seriesId: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee9',
        occurrences: [
          {
            start: W1,
            outcome: 'booked',
            appointment: appointment(
              '00000000-0000-4000-8000-000000000001',
              W1,
              '2030-03-12T14:30:00.000Z',
            ),
          },
          {
            start: W2,
            outcome: 'conflict',
            resource: 'room',
            conflictingAppointmentId: OTHER,
            detail: 'The room is already booked at that time',
          },
          {
            start: W3,
            outcome: 'booked',
            appointment: appointment(
              '00000000-0000-4000-8000-000000000003',
              W3,
              '2030-03-26T14:30:00.000Z',
            ),
          },
        ],
      }),
    );
});
afterEach(async () => {
  cleanup();
  await server.close();
});

describe('SlotFinder: repeat weekly', () => {
  it('books a series of 3 in book_what_fits mode and shows 2 booked and 1 conflict in words, on the clinic clock', async () => {
    const onBooked = jest.fn();
    const lookup = jest.fn(async (id: string) =>
      id === OTHER
        ? {
            ...appointment(OTHER, '2030-03-19T13:45:00.000Z', '2030-03-19T14:15:00.000Z'),
            patientId: 'dddddddd-dddd-4ddd-8ddd-ddddddddddd2',
          }
        : null,
    );
    renderWithQuery(
      <SlotFinder
        auth={{ token: TOKEN, origin: server.origin }}
        role="scheduler"
        clinics={clinics}
        defaultClinicId={NY}
        types={types}
        practitioners={practitioners}
        rooms={rooms}
        lookup={lookup}
        onBooked={onBooked}
      />,
      { origin: server.origin },
    );
    fireEvent.change(screen.getByLabelText('Search patients by name or phone'), {
      target: { value: 'sof' },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: /Sofia Castellanos born/ }, { timeout: 3000 }),
    );
    // The selected patient's screening panel.
    expect(await screen.findByRole('heading', { name: 'Screening' })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('From (clinic date)'), {
      target: { value: '2030-03-12' },
    });
    fireEvent.change(screen.getByLabelText('To (clinic date)'), {
      target: { value: '2030-03-12' },
    });
    await waitFor(() => expect(screen.getByLabelText('Appointment type')).toHaveValue(TYPE));
    fireEvent.click(screen.getByRole('button', { name: 'Find free times' }));
    fireEvent.click(await screen.findByRole('button', { name: /10:00 EDT/ }));

    fireEvent.click(screen.getByRole('checkbox', { name: 'Repeat weekly' }));
    expect(screen.queryByRole('button', { name: 'Book' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Number of appointments (2–52)'), {
      target: { value: '3' },
    });
    fireEvent.change(screen.getByLabelText('Every'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Book the ones that fit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Book series' }));

    const heading = await screen.findByRole('heading', {
      name: '2 of 3 appointments booked, 1 not booked.',
    });
    await waitFor(() => expect(heading).toHaveFocus());
    const items = within(screen.getByRole('list', { name: 'Series outcome' })).getAllByRole(
      'listitem',
    );
    expect(items.map((i) => i.textContent)).toEqual([
      'Tue 12 Mar 2030, 10:00 EDT: booked.',
      'Tue 19 Mar 2030, 10:00 EDT: not booked — the room is already booked then (another appointment, 09:45–10:15). The room is already booked at that time.',
      'Tue 26 Mar 2030, 10:00 EDT: booked.',
    ]);

    const post = server.requests.find(
      (r) => r.method === 'POST' && r.path === '/api/v1/appointments/series',
    )!;
    expect(post.headers['idempotency-key']).toEqual(expect.any(String));
    expect(post.body).toEqual({
      clinicId: NY,
      patientId: PATIENT,
      practitionerId: PRAC,
      roomId: ROOM,
      appointmentTypeId: TYPE,
      start: W1,
      occurrences: 3,
      everyWeeks: 1,
      mode: 'book_what_fits',
    });
    expect(onBooked).toHaveBeenCalledWith(expect.objectContaining({ start: W1 }));
  });

  it('shows every occurrence when an all-or-nothing series is refused with a 409 problem', async () => {
    const refusal = {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'Nothing booked: 1 of 2 occurrences conflict',
      seriesId: null,
      occurrences: [
        {
          start: W1,
          outcome: 'conflict',
          resource: 'availability',
          conflictingAppointmentId: null,
          detail: 'not booked: another occurrence conflicts (all or nothing)',
        },
        {
          start: W2,
          outcome: 'conflict',
          resource: 'room',
          conflictingAppointmentId: null,
          detail: 'The room is already booked at that time',
        },
      ],
    };
    server.route('POST', '/api/v1/appointments/series', () => ({ problem: refusal }));
    renderWithQuery(
      <SlotFinder
        auth={{ token: TOKEN, origin: server.origin }}
        role="scheduler"
        clinics={clinics}
        defaultClinicId={NY}
        types={types}
        practitioners={practitioners}
        rooms={rooms}
        lookup={async () => null}
        onBooked={() => undefined}
      />,
      { origin: server.origin },
    );
    fireEvent.change(screen.getByLabelText('Search patients by name or phone'), {
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
    fireEvent.click(await screen.findByRole('button', { name: /10:00 EDT/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Repeat weekly' }));
    fireEvent.change(screen.getByLabelText('Number of appointments (2–52)'), {
      target: { value: '2' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Book series' }));

    expect(
      await screen.findByRole('heading', { name: 'Nothing booked: 2 of 2 appointments conflict.' }),
    ).toBeInTheDocument();
    const items = within(screen.getByRole('list', { name: 'Series outcome' })).getAllByRole(
      'listitem',
    );
    expect(items[1]!.textContent).toContain('the room is already booked then');
  });

  it('refuses a series of 1 with words, without calling the API', async () => {
    renderWithQuery(
      <SlotFinder
        auth={{ token: TOKEN, origin: server.origin }}
        role="scheduler"
        clinics={clinics}
        defaultClinicId={NY}
        types={types}
        practitioners={practitioners}
        rooms={rooms}
        lookup={async () => null}
        onBooked={() => undefined}
      />,
      { origin: server.origin },
    );
    fireEvent.change(screen.getByLabelText('Search patients by name or phone'), {
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
    fireEvent.click(await screen.findByRole('button', { name: /10:00 EDT/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Repeat weekly' }));
    fireEvent.change(screen.getByLabelText('Number of appointments (2–52)'), {
      target: { value: '1' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Book series' }));
    expect(
      await screen.findByText('Give a whole number of appointments from 2 to 52.'),
    ).toBeInTheDocument();
    expect(server.requests.some((r) => r.path === '/api/v1/appointments/series')).toBe(false);
  });
});
