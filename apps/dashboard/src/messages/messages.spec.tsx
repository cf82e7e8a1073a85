import {
  LoggedMessage,
  PatientMessages as PatientMessagesSchema,
  Reminder,
} from '@tautline/domain';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import { json, problem, startTestServer, type TestServer } from '../testing/testing.server';
import { MessageLog } from './messages.log';
import { PatientMessages } from './messages.patient';
import { AppointmentReminders } from './messages.reminders';

// The embeddable message components against a real HTTP server answering as the API does (real
// fetch), each rendered as a host (the calendar's appointment dialog, a patient record) would:
//
//   <AppointmentReminders token={token} appointmentId={appointment.id} timeZone={clinic.timeZone} onUnauthorized={signOut} />
//   <PatientMessages token={token} patientId={patient.id} timeZone={clinic.timeZone} />
//   <MessageLog token={token} clinicId={clinic.id} timeZone={clinic.timeZone} />
//
// Jest runs with TZ=UTC; the clinic is in New York.

const NEW_YORK = 'America/New_York';
const APPOINTMENT = '7d0e7b8e-3c1f-4a51-9d7e-6f1b2c3d4e5f';
const PATIENT = '8e0e7b8e-3c1f-4a51-9d7e-6f1b2c3d4e5f';
const CLINIC = '33333333-3333-4333-8333-333333333333';
const id = (n: number) => `${String(n).repeat(8)}-bbbb-4bbb-8bbb-bbbbbbbbbbbb`;

function reminder(n: number, overrides: Partial<Reminder>): Reminder {
  return Reminder.parse({
    id: id(n),
    appointmentId: APPOINTMENT,
    purpose: 'reminder',
    offset: 'P1D',
    channel: 'sms',
    nominalAt: '2030-03-11T13:00:00.000Z',
    dueAt: '2030-03-11T13:00:00.000Z',
    status: 'scheduled',
    reason: null,
    movedForQuietHours: false,
    delayedForChangeGrace: false,
    attempts: 0,
    lastError: null,
    sentAt: null,
    createdAt: '2030-03-01T10:00:00.000Z',
    ...overrides,
  });
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  cleanup();
  await server.close();
});

const render = (ui: React.ReactElement) => renderWithQuery(ui, { origin: server.origin });

describe('AppointmentReminders', () => {
  it("lists what was planned, sent, skipped and why, on the clinic's clock", async () => {
    server.route('GET', '/api/v1/appointments/:id/reminders', () =>
      json(200, [
        reminder(1, {
          status: 'skipped',
          reason: 'rescheduled',
          dueAt: '2030-03-10T13:00:00.000Z',
        }),
        reminder(2, { status: 'sent', attempts: 2, sentAt: '2030-03-11T13:00:04.000Z' }),
        reminder(3, {
          offset: 'PT2H',
          channel: 'email',
          dueAt: '2030-03-12T00:59:00.000Z',
          movedForQuietHours: true,
        }),
        reminder(4, {
          offset: 'PT30M',
          channel: null,
          dueAt: null,
          status: 'skipped',
          reason: 'within_cutoff',
        }),
        reminder(5, {
          status: 'failed',
          reason: 'provider_rejected',
          attempts: 1,
          lastError: '400 invalid number',
        }),
        reminder(6, {
          purpose: 'opt_out_confirmation',
          offset: null,
          status: 'cancelled',
          reason: 'opted_out',
        }),
      ]),
    );
    render(<AppointmentReminders token="tok-1" appointmentId={APPOINTMENT} timeZone={NEW_YORK} />);

    const items = await screen.findAllByTestId('reminder');
    expect(items.map((li) => within(li).getByTestId('reminder-outcome').textContent)).toEqual([
      'Skipped: the appointment was moved',
      'Sent',
      'Planned',
      'Skipped: it would have been due too close to the appointment',
      'Failed: the message provider refused it',
      'Cancelled: the patient opted out of these messages',
    ]);
    expect(items[0]).toHaveTextContent('1 day before · Text message');
    expect(items[0]).toHaveTextContent('Due Sun 10 Mar 2030, 09:00 EDT');
    expect(items[1]).toHaveTextContent(
      'Due Mon 11 Mar 2030, 09:00 EDT; sent Mon 11 Mar 2030, 09:00 EDT; 2 attempts',
    );
    // 00:59 UTC on the 12th is 20:59 the evening before in New York: moved out of quiet hours.
    expect(items[2]).toHaveTextContent('2 hours before · Email');
    expect(items[2]).toHaveTextContent('Due Mon 11 Mar 2030, 20:59 EDT (moved out of quiet hours)');
    expect(within(items[2]!).getByText('Mon 11 Mar 2030, 20:59 EDT')).toHaveAttribute(
      'datetime',
      '2030-03-12T00:59:00.000Z',
    );
    expect(items[3]).toHaveTextContent('30 minutes before · No channel');
    expect(items[3]).toHaveTextContent('No due time');
    expect(items[4]).toHaveTextContent('Last error: 400 invalid number');
    expect(items[5]).toHaveTextContent('Opt-out confirmation · Text message');
    expect(document.body).not.toHaveTextContent(/UTC|13:00/);

    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/api/v1/appointments/${APPOINTMENT}/reminders`,
      }),
    ]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok-1');
  });

  it('says when nothing is planned, and shows problems in words', async () => {
    server.route('GET', '/api/v1/appointments/:id/reminders', () => json(200, []));
    render(<AppointmentReminders token="tok-1" appointmentId={APPOINTMENT} timeZone={NEW_YORK} />);
    expect(
      await screen.findByText('No reminders are planned for this appointment.'),
    ).toBeInTheDocument();
    cleanup();

    server.route('GET', '/api/v1/appointments/:id/reminders', () =>
      problem(404, 'Not Found', 'Appointment not found'),
    );
    render(<AppointmentReminders token="tok-1" appointmentId={APPOINTMENT} timeZone={NEW_YORK} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the reminders. This appointment does not exist or is not in one of your clinics.',
    );
    cleanup();

    server.route('GET', '/api/v1/appointments/:id/reminders', () =>
      problem(403, 'Forbidden', 'Missing permission appointment.read'),
    );
    render(<AppointmentReminders token="tok-1" appointmentId={APPOINTMENT} timeZone={NEW_YORK} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the reminders. You do not have permission to do that.',
    );
    cleanup();

    server.route('GET', '/api/v1/appointments/:id/reminders', () =>
      problem(401, 'Unauthorized', 'Token expired'),
    );
    const onUnauthorized = jest.fn();
    render(
      <AppointmentReminders
        token="tok-1"
        appointmentId={APPOINTMENT}
        timeZone={NEW_YORK}
        onUnauthorized={onUnauthorized}
      />,
    );
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
  });

  it('treats an answer of the wrong shape as a server problem, in words', async () => {
    server.route('GET', '/api/v1/appointments/:id/reminders', () => json(200, [{ id: 'x' }]));
    render(<AppointmentReminders token="tok-1" appointmentId={APPOINTMENT} timeZone={NEW_YORK} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the reminders. Tautline is having trouble right now. Please try again in a moment.',
    );
  });
});

describe('PatientMessages', () => {
  it('shows the opt-out state and the replies, newest first, in words', async () => {
    const messages = PatientMessagesSchema.parse({
      smsOptedOutAt: '2030-03-11T14:30:00.000Z',
      emailOptedOutAt: null,
      replies: [
        {
          id: id(1),
          receivedAt: '2030-03-11T14:30:00.000Z',
          keyword: 'opt_out',
          outcome: 'opted_out',
          text: 'STOP',
          appointmentId: APPOINTMENT,
        },
        {
          id: id(2),
          receivedAt: '2030-03-11T13:05:00.000Z',
          keyword: 'confirm',
          outcome: 'confirmed',
          text: 'c',
          appointmentId: APPOINTMENT,
        },
        {
          id: id(3),
          receivedAt: '2030-03-11T13:04:00.000Z',
          keyword: 'unknown',
          outcome: 'unrecognised',
          text: 'See you then!',
          appointmentId: APPOINTMENT,
        },
      ],
    });
    server.route('GET', '/api/v1/patients/:id/messages', () => json(200, messages));
    render(<PatientMessages token="tok-1" patientId={PATIENT} timeZone={NEW_YORK} />);

    const optOuts = await screen.findByTestId('opt-outs');
    expect([...optOuts.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Opted out of text messages on Mon 11 Mar 2030, 10:30 EDT',
      'Receives emails',
    ]);
    const rows = [...screen.getByTestId('replies').querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      ['Mon 11 Mar 2030, 10:30 EDT', 'Stop', 'Opted out of text messages', 'STOP'],
      ['Mon 11 Mar 2030, 09:05 EDT', 'Confirm', 'Appointment confirmed', 'c'],
      [
        'Mon 11 Mar 2030, 09:04 EDT',
        'Not a keyword',
        'Not understood; nothing changed',
        'See you then!',
      ],
    ]);
    expect(server.requests.map((r) => r.path)).toEqual([`/api/v1/patients/${PATIENT}/messages`]);
  });

  it('says so when there are no replies, and shows problems in words', async () => {
    server.route('GET', '/api/v1/patients/:id/messages', () =>
      json(200, { smsOptedOutAt: null, emailOptedOutAt: null, replies: [] }),
    );
    render(<PatientMessages token="tok-1" patientId={PATIENT} />);
    expect(await screen.findByText('No replies.')).toBeInTheDocument();
    expect(screen.getByText('Receives text messages')).toBeInTheDocument();
    cleanup();

    server.route('GET', '/api/v1/patients/:id/messages', () =>
      problem(500, 'Internal Server Error'),
    );
    render(<PatientMessages token="tok-1" patientId={PATIENT} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the patient’s messages. Tautline is having trouble right now. Please try again in a moment.',
    );
  });
});

describe('MessageLog', () => {
  it("lists the log channel's stored messages as they would have gone out", async () => {
    const logged = LoggedMessage.array().parse([
      {
        reminderId: id(1),
        appointmentId: APPOINTMENT,
        channel: 'sms',
        destination: '+12125550142',
        subject: null,
        body: 'Hi Olivia, a reminder of your appointment at New York Chelsea on Tue, Mar 12, 2030, 9:00 AM EDT. Reply C to confirm.',
        loggedAt: '2030-03-11T13:00:01.000Z',
      },
      {
        reminderId: id(2),
        appointmentId: APPOINTMENT,
        channel: 'email',
        destination: 'olivia@example.test',
        subject: 'Your appointment',
        body: 'Hi Olivia,\nsee you soon.',
        loggedAt: '2030-03-11T12:00:00.000Z',
      },
    ]);
    server.route('GET', '/api/v1/clinics/:clinicId/message-log', () => json(200, logged));
    render(<MessageLog token="tok-1" clinicId={CLINIC} timeZone={NEW_YORK} limit={20} />);

    const log = await screen.findByTestId('message-log');
    const items = within(log).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Text message to +12125550142 · Mon 11 Mar 2030, 09:00 EDT');
    expect(items[0]).toHaveTextContent('Reply C to confirm.');
    expect(items[1]).toHaveTextContent('Email to olivia@example.test · Mon 11 Mar 2030, 08:00 EDT');
    expect(within(items[1]!).getByText('Your appointment')).toBeInTheDocument();
    expect(server.requests.map((r) => r.path)).toEqual([
      `/api/v1/clinics/${CLINIC}/message-log?limit=20`,
    ]);
  });

  it('shows a clinic that is not there in words', async () => {
    server.route('GET', '/api/v1/clinics/:clinicId/message-log', () =>
      problem(404, 'Not Found', 'Clinic not found'),
    );
    render(<MessageLog token="tok-1" clinicId={CLINIC} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the message log. This clinic does not exist or is not in one of your clinics.',
    );
  });
});
