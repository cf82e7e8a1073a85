import {
  type Appointment,
  type AppointmentTypeView,
  type Device,
  type Role,
  type TreatmentSession,
} from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import {
  json,
  problem,
  startTestServer,
  type RecordedRequest,
  type TestServer,
} from '../testing/testing.server';
import { AppointmentDetails } from './calendar.details';

// The plan editor inside the appointment dialog, against a real HTTP server.

const CLINIC = '22222222-2222-4222-8222-222222222222';
const ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1';
const OTHER_ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa2';
const PRAC = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1';
const TYPE = 'cccccccc-cccc-4ccc-8ccc-ccccccccccc1';
const APPOINTMENT = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee1';
const DEVICE = 'ffffffff-ffff-4fff-8fff-fffffffffff1';

const estimType: AppointmentTypeView = {
  id: TYPE,
  name: 'Dry needling + e-stim 45 min',
  durationMinutes: 45,
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
  requiresDryNeedlingCert: true,
  usesEstim: true,
  colour: '#e07a5f',
  active: true,
};

const appointment = (status: Appointment['status'] = 'checked_in'): Appointment => ({
  id: APPOINTMENT,
  clinicId: CLINIC,
  patientId: 'dddddddd-dddd-4ddd-8ddd-ddddddddddd1',
  practitionerId: PRAC,
  roomId: ROOM,
  appointmentTypeId: TYPE,
  start: '2030-03-04T15:00:00.000Z',
  end: '2030-03-04T15:45:00.000Z',
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
  status,
  version: 3,
  seriesId: null,
  screeningOverrideReason: null,
  cancelledReason: null,
  rescheduleRequestedAt: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
});

const device = (patch: Partial<Device> = {}): Device => ({
  id: DEVICE,
  clinicId: CLINIC,
  roomId: ROOM,
  serial: 'STIM-0042',
  model: 'Tautline Stim 4',
  firmware: '2.3.1',
  channels: 4,
  keyHint: 'tld_ab12',
  keyRotatedAt: '2030-01-01T00:00:00.000Z',
  revokedAt: null,
  lastSeenAt: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  ...patch,
});

function created(body: RecordedRequest['body']): TreatmentSession {
  const { plan } = body as { plan: TreatmentSession['plan'] };
  return {
    id: '99999999-9999-4999-8999-999999999991',
    appointmentId: APPOINTMENT,
    clinicId: CLINIC,
    roomId: ROOM,
    deviceId: DEVICE,
    practitionerId: PRAC,
    status: 'ready',
    plan,
    startedAt: null,
    endedAt: null,
    runningSeconds: 0,
    runningSince: null,
    summary: null,
    adverseEvent: null,
    createdAt: '2030-03-04T15:02:00.000Z',
  };
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  server.route('GET', `/api/v1/clinics/:clinicId/devices`, () =>
    json(200, [
      device(),
      device({ id: 'ffffffff-ffff-4fff-8fff-fffffffffff2', roomId: OTHER_ROOM, serial: 'X' }),
      device({
        id: 'ffffffff-ffff-4fff-8fff-fffffffffff3',
        serial: 'OLD-1',
        revokedAt: '2030-01-01T00:00:00.000Z',
      }),
    ]),
  );
  server.route('POST', '/api/v1/sessions', (req) => json(201, created(req.body)));
});
afterEach(async () => {
  cleanup();
  await server.close();
});

function renderDetails(role: Role | undefined, a = appointment(), type = estimType) {
  return renderWithQuery(
    <AppointmentDetails
      auth={{ token: 'tok', origin: server.origin }}
      appointment={a}
      zone="America/New_York"
      patient="Maya Lopez"
      type={type}
      practitioners={[]}
      rooms={[
        { id: ROOM, clinicId: CLINIC, name: 'Treatment room 1', hasStimulator: true, active: true },
      ]}
      role={role}
      lookup={() => Promise.resolve(null)}
      onChanged={() => undefined}
      onClose={() => undefined}
    />,
    { origin: server.origin },
  );
}

const setUp = () => screen.queryByRole('button', { name: 'Set up e-stim session' });
const posts = () =>
  server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/sessions');

describe('setting up an e-stim session from the appointment dialog', () => {
  it('is offered to clinicians on a checked-in e-stim appointment only', () => {
    renderDetails('practitioner');
    expect(setUp()).toBeVisible();
    cleanup();
    renderDetails('supervisor');
    expect(setUp()).toBeVisible();
    for (const role of ['scheduler', 'admin', undefined] as const) {
      cleanup();
      renderDetails(role);
      expect(setUp()).toBeNull();
    }
    cleanup();
    renderDetails('supervisor', appointment('confirmed'));
    expect(setUp()).toBeNull();
    cleanup();
    renderDetails('supervisor', appointment(), { ...estimType, usesEstim: false });
    expect(setUp()).toBeNull();
  });

  it('offers the room’s stimulator and the catalogue by region, validates inline, then creates the session', async () => {
    renderDetails('supervisor');
    fireEvent.click(setUp()!);
    const editor = screen.getByRole('region', { name: 'Set up the e-stim session' });
    const stimulators = within(editor).getByRole('group', {
      name: 'Stimulator in Treatment room 1',
    });
    expect(
      await within(stimulators).findByRole('radio', {
        name: 'Tautline Stim 4 · STIM-0042 · 4 channels',
      }),
    ).toBeChecked();
    expect(within(stimulators).getAllByRole('radio')).toHaveLength(1);

    const muscle = within(editor).getByLabelText('Muscle');
    const groups = [...muscle.querySelectorAll('optgroup')].map((g) => g.label);
    expect(groups).toEqual([
      'Neck',
      'Shoulder',
      'Upper back',
      'Chest',
      'Lower back',
      'Hip',
      'Thigh',
      'Leg',
    ]);
    // The output select follows the stimulator's channel count.
    expect(within(within(editor).getByLabelText('Output')).getAllByRole('option')).toHaveLength(4);

    // Nothing chosen and a ceiling out of range: errors beside the fields, nothing posted.
    fireEvent.change(within(editor).getByLabelText('Ceiling (mA)'), { target: { value: '80' } });
    fireEvent.change(within(editor).getByLabelText('Duration (minutes)'), {
      target: { value: '' },
    });
    fireEvent.click(within(editor).getByRole('button', { name: 'Create session' }));
    expect(await within(editor).findByRole('alert')).toHaveTextContent(
      'Check the highlighted fields.',
    );
    expect(muscle).toHaveAccessibleDescription('choose a muscle');
    expect(within(editor).getByLabelText('Ceiling (mA)')).toHaveAccessibleDescription(
      'must be at most 50 mA',
    );
    expect(within(editor).getByLabelText('Duration (minutes)')).toHaveAccessibleDescription(
      'enter a number',
    );
    expect(posts()).toHaveLength(0);

    fireEvent.change(muscle, { target: { value: 'infraspinatus' } });
    fireEvent.change(within(editor).getByLabelText('Ceiling (mA)'), { target: { value: '18' } });
    fireEvent.change(within(editor).getByLabelText('Duration (minutes)'), {
      target: { value: '25' },
    });
    // A second channel on the next free output, on the left.
    fireEvent.click(within(editor).getByRole('button', { name: 'Add channel' }));
    const second = within(editor).getAllByTestId('session-plan-channel')[1]!;
    expect(within(second).getByLabelText('Output')).toHaveValue('2');
    fireEvent.change(within(second).getByLabelText('Muscle'), {
      target: { value: 'upper_trapezius' },
    });
    fireEvent.change(within(second).getByLabelText('Side'), { target: { value: 'left' } });
    fireEvent.change(within(second).getByLabelText('Waveform'), { target: { value: 'burst' } });
    expect(within(editor).getByRole('img')).toHaveAccessibleName(
      /Ch 1: right infraspinatus — refers to .*Ch 2: left upper trapezius — refers to/,
    );

    fireEvent.click(within(editor).getByRole('button', { name: 'Create session' }));
    expect(await screen.findByTestId('session-plan-done')).toHaveTextContent(
      'Session ready in Treatment room 1 — start it from the board.',
    );
    expect(posts().map((r) => r.body)).toEqual([
      {
        appointmentId: APPOINTMENT,
        plan: {
          plannedDurationMinutes: 25,
          channels: [
            {
              channel: 1,
              muscle: 'infraspinatus',
              side: 'right',
              waveform: 'biphasic_symmetric',
              frequencyHz: 4,
              pulseWidthUs: 250,
              intensityCeilingMa: 18,
            },
            {
              channel: 2,
              muscle: 'upper_trapezius',
              side: 'left',
              waveform: 'burst',
              frequencyHz: 4,
              pulseWidthUs: 250,
              intensityCeilingMa: 12,
            },
          ],
        },
      },
    ]);
    expect(posts()[0]?.headers.authorization).toBe('Bearer tok');
  });

  it('refuses the same output twice and shows the API’s field errors and conflicts', async () => {
    server.route('POST', '/api/v1/sessions', () =>
      problem(422, 'Cannot start e-stim', 'is above the device limit of 30 mA', {
        errors: [
          {
            field: 'body.plan.channels.0.intensityCeilingMa',
            message: 'is above the device limit of 30 mA',
          },
        ],
      }),
    );
    renderDetails('practitioner');
    fireEvent.click(setUp()!);
    const editor = screen.getByRole('region', { name: 'Set up the e-stim session' });
    await within(editor).findByRole('radio');
    fireEvent.change(within(editor).getByLabelText('Muscle'), { target: { value: 'soleus' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Add channel' }));
    const [first, second] = within(editor).getAllByTestId('session-plan-channel');
    fireEvent.change(within(second!).getByLabelText('Muscle'), { target: { value: 'soleus' } });
    fireEvent.change(within(second!).getByLabelText('Output'), { target: { value: '1' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Create session' }));
    await waitFor(() =>
      expect(within(second!).getByLabelText('Output')).toHaveAccessibleDescription(
        'channel 1 is planned twice',
      ),
    );
    expect(posts()).toHaveLength(0);

    fireEvent.click(within(second!).getByRole('button', { name: 'Remove channel 1' }));
    fireEvent.change(within(first!).getByLabelText('Ceiling (mA)'), { target: { value: '40' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Create session' }));
    expect(await within(editor).findByRole('alert')).toHaveTextContent(
      'is above the device limit of 30 mA',
    );
    expect(within(first!).getByLabelText('Ceiling (mA)')).toHaveAccessibleDescription(
      'is above the device limit of 30 mA',
    );

    server.route('POST', '/api/v1/sessions', () =>
      problem(409, 'Conflict', 'the appointment already has a session'),
    );
    fireEvent.change(within(first!).getByLabelText('Ceiling (mA)'), { target: { value: '20' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Create session' }));
    await waitFor(() =>
      expect(within(editor).getByRole('alert')).toHaveTextContent(
        'the appointment already has a session',
      ),
    );
  });

  it('says so when the room has no stimulator, and cannot be submitted', async () => {
    server.route('GET', '/api/v1/clinics/:clinicId/devices', () =>
      json(200, [device({ roomId: OTHER_ROOM })]),
    );
    renderDetails('supervisor');
    fireEvent.click(setUp()!);
    expect(
      await screen.findByText(
        'No stimulator is registered in Treatment room 1. Ask an admin to register one.',
      ),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Create session' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(setUp()).toBeVisible();
  });
});
