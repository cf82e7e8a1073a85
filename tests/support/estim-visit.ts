import { type SessionPlan } from '@tautline/domain';
import { randomBytes } from 'node:crypto';
import { type ApiClient, book, gridStartAfter, openExtraHours } from './booking-client';

export const TEST_PLAN: SessionPlan = {
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
};

export interface RunningSession {
  sessionId: string;
  appointmentId: string;
  roomId: string;
  deviceId: string;
  deviceKey: string;
}

/**
 * A running e-stim session through the API, as a clinic would reach one: extra hours now, a booked
 * and checked-in e-stim appointment, a stimulator registered in its room, the session created and started.
 */
export async function startRunningSession(
  clients: { admin: ApiClient; scheduler: ApiClient; clinician: ApiClient },
  ids: { clinicId: string; patientId: string; practitionerId: string; estimTypeId: string },
  leadMs = 30 * 60_000,
): Promise<RunningSession> {
  await openExtraHours(clients.admin, ids.practitionerId, ids.clinicId);
  const appointment = await book(clients.scheduler, {
    clinicId: ids.clinicId,
    patientId: ids.patientId,
    practitionerId: ids.practitionerId,
    appointmentTypeId: ids.estimTypeId,
    start: gridStartAfter(leadMs),
  });
  const roomId = (
    await clients.scheduler.call<{ roomId: string }>('GET', `/appointments/${appointment.id}`)
  ).body.roomId;
  const expect2xx = (what: string, res: { status: number; body: unknown }) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  expect2xx(
    'check-in',
    await clients.scheduler.call('POST', `/appointments/${appointment.id}/check-in`, {}),
  );
  const device = expect2xx(
    'device',
    await clients.admin.call('POST', `/clinics/${ids.clinicId}/devices`, {
      roomId,
      serial: `E2E-${randomBytes(4).toString('hex')}`,
      model: 'Tautline Stim 4',
      firmware: '2.3.1',
      channels: 4,
    }),
  ) as { id: string; key: string };
  const session = expect2xx(
    'session',
    await clients.clinician.call('POST', '/sessions', {
      appointmentId: appointment.id,
      plan: TEST_PLAN,
    }),
  ) as {
    id: string;
  };
  expect2xx('start', await clients.clinician.call('POST', `/sessions/${session.id}/start`, {}));
  return {
    sessionId: session.id,
    appointmentId: appointment.id,
    roomId,
    deviceId: device.id,
    deviceKey: device.key,
  };
}

/** Posts a telemetry batch as the device. */
export async function sendTelemetry(
  apiUrl: string,
  deviceKey: string,
  samples: unknown[],
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${apiUrl}/api/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Device ${deviceKey}` },
    body: JSON.stringify({ samples }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
