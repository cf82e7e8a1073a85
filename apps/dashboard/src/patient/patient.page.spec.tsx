import {
  patientAppointmentView,
  type AppointmentStatus,
  type PatientAppointmentView,
  type ReminderLocale,
} from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import { json, problem, startTestServer, type TestServer } from '../testing/testing.server';
import { PatientPage } from './patient.page';

// The page against a real HTTP server answering as the API's patient-link routes do (real fetch).
// The views are built with the domain's own `patientAppointmentView`, so they are what the API sends.
// Jest runs with TZ=UTC (jest.config.cjs): the clinics here are elsewhere, so a time reformatted
// in the "browser's" zone would show.

const TOKEN = 'YWJjZGVmMTIzNDU2Nzg5.Xy-_0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LINK = `/api/v1/patient-links/${TOKEN}`;
const HOUR = 3_600_000;

const LONDON = { name: 'London Bridge', phone: '+44 20 7946 0000', timeZone: 'Europe/London' };
const NEW_YORK = {
  name: 'New York Chelsea',
  phone: '+1 212 555 0100',
  timeZone: 'America/New_York',
};

interface ViewOptions {
  start?: string;
  status?: AppointmentStatus;
  clinic?: typeof LONDON;
  locale?: ReminderLocale;
  /** The server's clock when it built the view. */
  now?: Date;
  version?: number;
}

function viewOf({
  start = '2030-06-11T08:00:00.000Z',
  status = 'booked',
  clinic = LONDON,
  locale = 'en-GB',
  now = new Date(),
  version = 1,
}: ViewOptions = {}): PatientAppointmentView {
  return patientAppointmentView({
    appointment: {
      id: '7d0e7b8e-3c1f-4a51-9d7e-6f1b2c3d4e5f',
      status,
      start,
      end: new Date(Date.parse(start) + HOUR / 2).toISOString(),
      version,
      rescheduleRequestedAt: null,
    },
    clinic,
    patientFirstName: 'Olivia',
    policy: { lateCancelHours: 24, locale },
    now: now.toISOString(),
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

function openPage(view: PatientAppointmentView | null, token = TOKEN) {
  if (view) server.route('GET', '/api/v1/patient-links/:token', () => json(200, view));
  renderWithQuery(<PatientPage token={token} />, { origin: server.origin });
}

const button = (name: string) => screen.queryByRole('button', { name });
const status = () => screen.getByTestId('patient-status');
const posts = (action: string) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === `${LINK}/${action}`);

describe('PatientPage', () => {
  it("shows the appointment in the clinic's zone, zone named, with the status in words and the advice", async () => {
    const view = viewOf({ start: '2030-03-12T13:00:00.000Z', clinic: NEW_YORK, locale: 'en-US' });
    openPage(view);

    expect(await screen.findByRole('heading', { level: 1, name: 'Hi Olivia' })).toBeInTheDocument();
    expect(screen.getAllByText('New York Chelsea', { exact: false }).length).toBeGreaterThan(0);
    // 13:00 UTC is 09:00 in New York (EDT since 10 March 2030); the page runs in UTC.
    const when = screen.getByTestId('patient-when');
    expect(when).toHaveTextContent('Tue, Mar 12, 2030, 9:00 AM EDT');
    expect(when).toHaveAttribute('datetime', '2030-03-12T13:00:00.000Z');
    expect(screen.getByTestId('patient-zone')).toHaveTextContent('America/New York');
    expect(document.body).not.toHaveTextContent(/1:00 PM|13:00/);
    expect(status()).toHaveTextContent('Booked, not yet confirmed');
    // The cut-off, also on the clinic's clock.
    expect(
      screen.getByText(/You can cancel or change online until Mon, Mar 11, 2030, 9:00 AM EDT/),
    ).toBeInTheDocument();

    for (const name of ['Confirm appointment', 'Choose another time', 'Cancel appointment'])
      expect(button(name)).toBeEnabled();
    const advice = screen.getByRole('region', { name: 'Before your visit' });
    expect(
      within(advice)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(view.preVisitAdvice);
    expect(screen.getByRole('link', { name: '+1 212 555 0100' })).toHaveAttribute(
      'href',
      'tel:+12125550100',
    );
    expect(document.title).toBe('Your appointment at New York Chelsea');

    // The token is the only credential: no bearer token, the token as the path segment.
    expect(server.requests).toEqual([expect.objectContaining({ method: 'GET', path: LINK })]);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('confirms and shows the new status, announcing it and moving focus to it', async () => {
    openPage(viewOf());
    server.route('POST', '/api/v1/patient-links/:token/confirm', () =>
      json(200, viewOf({ status: 'confirmed', version: 2 })),
    );

    fireEvent.click(await screen.findByRole('button', { name: 'Confirm appointment' }));

    await waitFor(() => expect(status()).toHaveTextContent(/^Confirmed$/));
    const result = within(screen.getByRole('status')).getByText(
      'Thank you. Your appointment is confirmed.',
    );
    expect(result).toHaveFocus();
    expect(button('Confirm appointment')).toBeNull();
    expect(button('Cancel appointment')).toBeInTheDocument();
    expect(posts('confirm')).toEqual([expect.objectContaining({ body: {} })]);
  });

  it('after the late-cancel cut-off asks the patient to call the clinic instead of cancelling', async () => {
    const start = '2030-06-11T08:00:00.000Z';
    openPage(viewOf({ start, now: new Date(Date.parse(start) - 3 * HOUR) }));

    const call = await screen.findByTestId('patient-call-to-change');
    expect(call).toHaveTextContent(
      'To cancel or change, please call London Bridge on +44 20 7946 0000.',
    );
    expect(within(call).getByRole('link', { name: '+44 20 7946 0000' })).toHaveAttribute(
      'href',
      'tel:+442079460000',
    );
    expect(button('Cancel appointment')).toBeNull();
    expect(button('Choose another time')).toBeNull();
    // Confirming is still possible until the start.
    expect(button('Confirm appointment')).toBeEnabled();
  });

  it('cancels after a confirmation step, sending the optional reason', async () => {
    openPage(viewOf({ status: 'confirmed' }));
    server.route('POST', '/api/v1/patient-links/:token/cancel', () =>
      json(200, viewOf({ status: 'cancelled', version: 3 })),
    );

    // Changing one's mind puts focus back on the button.
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel appointment' }));
    expect(screen.getByRole('heading', { name: 'Cancel this appointment?' })).toHaveFocus();
    fireEvent.click(screen.getByRole('button', { name: 'Keep my appointment' }));
    await waitFor(() => expect(button('Cancel appointment')).toHaveFocus());
    expect(posts('cancel')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    fireEvent.change(screen.getByLabelText('Reason (optional)'), {
      target: { value: '  Feeling unwell  ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel appointment' }));

    await waitFor(() => expect(status()).toHaveTextContent('Cancelled'));
    expect(screen.getByText('Your appointment has been cancelled.')).toHaveFocus();
    expect(
      screen.getByText(
        /This appointment is cancelled. To book another, please call London Bridge on/,
      ),
    ).toBeInTheDocument();
    expect(button('Cancel appointment')).toBeNull();
    expect(posts('cancel')).toEqual([
      expect.objectContaining({ body: { reason: 'Feeling unwell' } }),
    ]);
  });

  it("shows the server's words on a 409 and re-reads what the link may do", async () => {
    const start = '2030-06-11T08:00:00.000Z';
    openPage(viewOf({ start }));
    const words =
      'It is less than 24 hours before your appointment, so it can no longer be cancelled online. Please call the clinic on +44 20 7946 0000.';
    server.route('POST', '/api/v1/patient-links/:token/cancel', () => {
      // Meanwhile the cut-off passed: the page's next read says so.
      server.route('GET', '/api/v1/patient-links/:token', () =>
        json(200, viewOf({ start, now: new Date(Date.parse(start) - HOUR) })),
      );
      return problem(409, 'Conflict', words);
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Cancel appointment' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel appointment' }));

    const alert = await screen.findByText(words);
    expect(screen.getByRole('alert')).toContainElement(alert);
    expect(alert).toHaveFocus();
    expect(posts('cancel')).toEqual([expect.objectContaining({ body: {} })]);
    expect(await screen.findByTestId('patient-call-to-change')).toHaveTextContent(
      'To cancel or change, please call London Bridge',
    );
    expect(button('Cancel appointment')).toBeNull();
    expect(status()).toHaveTextContent('Booked, not yet confirmed');
  });

  it("lists the free times grouped by the clinic's local day and moves the appointment to the one picked", async () => {
    const view = viewOf({
      start: '2030-03-12T13:00:00.000Z',
      clinic: NEW_YORK,
      locale: 'en-US',
      version: 4,
    });
    openPage(view);
    const slots = [
      // Out of order on purpose; 00:30 UTC on the 13th is still the 12th in New York.
      { start: '2030-03-13T00:30:00.000Z', end: '2030-03-13T01:00:00.000Z' },
      { start: '2030-03-12T14:00:00.000Z', end: '2030-03-12T14:30:00.000Z' },
      { start: '2030-03-13T13:00:00.000Z', end: '2030-03-13T13:30:00.000Z' },
    ];
    server.route('GET', '/api/v1/patient-links/:token/slots', () =>
      json(200, { timeZone: 'America/New_York', slots }),
    );
    const moved = viewOf({
      start: '2030-03-13T13:00:00.000Z',
      clinic: NEW_YORK,
      locale: 'en-US',
      version: 5,
    });
    server.route('POST', '/api/v1/patient-links/:token/reschedule', () => json(200, moved));

    fireEvent.click(await screen.findByRole('button', { name: 'Choose another time' }));
    expect(screen.getByRole('heading', { name: 'Choose another time' })).toHaveFocus();
    expect(screen.getByText(/Times are in the clinic’s time zone/)).toHaveTextContent(
      'America/New York',
    );

    const tuesday = await screen.findByRole('group', { name: 'Tuesday, March 12 (EDT)' });
    expect(
      within(tuesday)
        .getAllByRole('radio')
        .map((r) => r.getAttribute('aria-label')),
    ).toEqual(['Tue, Mar 12, 2030, 10:00 AM EDT', 'Tue, Mar 12, 2030, 8:30 PM EDT']);
    expect(tuesday).toHaveTextContent('10:00 AM8:30 PM');
    // Each day folds under its name and count; the first is open.
    const summaries = [...document.querySelectorAll('details.patient-day')].map((d) => [
      d.querySelector('summary')?.textContent,
      d.hasAttribute('open'),
    ]);
    expect(summaries).toEqual([
      ['Tuesday, March 12 (EDT)2 times', true],
      ['Wednesday, March 13 (EDT)1 time', false],
    ]);
    const wednesday = screen.getByRole('group', { name: 'Wednesday, March 13 (EDT)' });
    expect(within(wednesday).getAllByRole('radio')).toHaveLength(1);
    expect(
      screen
        .getAllByRole('group', { name: /, March \d+/ })
        .map((g) => g.querySelector('legend')?.textContent),
    ).toEqual(['Tuesday, March 12 (EDT)', 'Wednesday, March 13 (EDT)']);

    // Continue without a choice says so; then pick, confirm, move.
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText('Choose a time first.')).toBeInTheDocument();
    fireEvent.click(
      within(wednesday).getByRole('radio', { name: 'Wed, Mar 13, 2030, 9:00 AM EDT' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { name: 'Move your appointment?' })).toHaveFocus();
    expect(screen.getByText('Wed, Mar 13, 2030, 9:00 AM EDT')).toBeInTheDocument();
    expect(posts('reschedule')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, move my appointment' }));

    expect(
      await screen.findByText('Your appointment has been moved to Wed, Mar 13, 2030, 9:00 AM EDT.'),
    ).toHaveFocus();
    expect(screen.getByTestId('patient-when')).toHaveTextContent('Wed, Mar 13, 2030, 9:00 AM EDT');
    expect(posts('reschedule')).toEqual([
      expect.objectContaining({ body: { start: '2030-03-13T13:00:00.000Z', version: 4 } }),
    ]);
    expect(server.requests.filter((r) => r.path.startsWith(`${LINK}/slots`))).toEqual([
      expect.objectContaining({ method: 'GET', path: `${LINK}/slots` }),
    ]);
  });

  it('offers later times page by page, asking from the nextFrom the API gave', async () => {
    openPage(
      viewOf({ start: '2030-03-12T13:00:00.000Z', clinic: NEW_YORK, locale: 'en-US', version: 4 }),
    );
    const later = '2030-03-14T13:00:00.000Z';
    server.route('GET', '/api/v1/patient-links/:token/slots', (req) =>
      new URL(req.path, 'http://x').searchParams.get('from') === later
        ? json(200, {
            timeZone: 'America/New_York',
            slots: [{ start: later, end: '2030-03-14T13:30:00.000Z' }],
            nextFrom: null,
          })
        : json(200, {
            timeZone: 'America/New_York',
            slots: [{ start: '2030-03-13T13:00:00.000Z', end: '2030-03-13T13:30:00.000Z' }],
            nextFrom: later,
          }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Choose another time' }));
    await screen.findByRole('group', { name: 'Wednesday, March 13 (EDT)' });
    expect(screen.queryByRole('group', { name: 'Thursday, March 14 (EDT)' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Later times' }));
    expect(
      await screen.findByRole('group', { name: 'Thursday, March 14 (EDT)' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Later times' })).toBeNull());
    const asked = server.requests
      .filter((r) => r.path.startsWith(`${LINK}/slots`))
      .map((r) => new URL(r.path, 'http://x').searchParams.get('from'));
    expect(asked).toEqual([null, later]);
  });

  it('shows a friendly page for an invalid or expired link', async () => {
    server.route('GET', '/api/v1/patient-links/:token', () =>
      problem(404, 'Not found', 'this link is not valid or has expired'),
    );
    openPage(null);

    const page = await screen.findByTestId('patient-invalid-link');
    expect(page).toHaveTextContent(
      'This link has expired or is not valid. Please call the clinic.',
    );
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(
      'Sorry, this link does not work',
    );
    expect(button('Confirm appointment')).toBeNull();
    expect(document.title).toBe('Link not valid');
  });

  it('does not ask the server about an empty link', () => {
    openPage(null, '');
    expect(screen.getByTestId('patient-invalid-link')).toBeInTheDocument();
    expect(server.requests).toEqual([]);
  });

  it('says in words when the server is in trouble, and tries again', async () => {
    let calls = 0;
    server.route('GET', '/api/v1/patient-links/:token', () =>
      ++calls === 1
        ? problem(503, 'Service Unavailable', 'database unavailable')
        : json(200, viewOf()),
    );
    openPage(null);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Something went wrong on our side. Please try again in a moment, or call the clinic.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Hi Olivia' })).toBeInTheDocument();
  });
});
