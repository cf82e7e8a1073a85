import { type SessionPlan } from '@tautline/domain';
import { randomBytes } from 'node:crypto';
import { type BookingFixture, upcoming } from '../../scheduling/testing/booking-fixture';
import { type TestApp } from '../../testing/test-app';

export const TWO_CHANNEL_PLAN: SessionPlan = {
  plannedDurationMinutes: 20,
  channels: [
    {
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 10,
    },
    {
      channel: 2,
      muscle: 'levator_scapulae',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 8,
    },
  ],
};

export interface EstimVisit {
  appointmentId: string;
  roomId: string;
  deviceId: string;
  deviceKey: string;
}

/**
 * A checked-in e-stim appointment (Eleanor, e-stim qualified, with a demo patient) in a stimulator
 * room of London Bridge with a registered device, ready for a session. `slot` picks the weekday and
 * time so several visits of one test file never clash.
 */
export async function checkedInEstimVisit(
  t: TestApp,
  f: BookingFixture,
  tokens: { admin: string; scheduler: string },
  slot: { weekday: number; time: string; patientId?: string; weeksAhead?: number },
): Promise<EstimVisit> {
  const booked = await t.request('/api/v1/appointments', {
    method: 'POST',
    token: tokens.scheduler,
    json: {
      clinicId: f.londonBridge,
      patientId: slot.patientId ?? f.olivia,
      practitionerId: f.eleanor,
      appointmentTypeId: f.estim45,
      start: upcoming(slot.weekday, slot.time, 'Europe/London', slot.weeksAhead ?? 1),
    },
  });
  if (booked.status !== 201)
    throw new Error(`booking refused: ${booked.status} ${await booked.text()}`);
  const appointment = (await booked.json()) as { id: string; roomId: string };
  const checkIn = await t.request(`/api/v1/appointments/${appointment.id}/check-in`, {
    method: 'POST',
    token: tokens.scheduler,
    json: {},
  });
  if (checkIn.status !== 200)
    throw new Error(`check-in refused: ${checkIn.status} ${await checkIn.text()}`);
  const [existing] = (await t.db.dataSource.query(
    `SELECT id FROM devices WHERE room_id = $1 AND revoked_at IS NULL`,
    [appointment.roomId],
  )) as { id: string }[];
  const device = existing
    ? ((await (
        await t.request(`/api/v1/devices/${existing.id}/rotate-key`, {
          method: 'POST',
          token: tokens.admin,
        })
      ).json()) as { id: string; key: string })
    : ((await (
        await t.request(`/api/v1/clinics/${f.londonBridge}/devices`, {
          method: 'POST',
          token: tokens.admin,
          json: {
            roomId: appointment.roomId,
            serial: `TS4-${randomBytes(4).toString('hex')}`,
            model: 'Tautline Stim 4',
            firmware: '2.3.1',
            channels: 4,
          },
        })
      ).json()) as { id: string; key: string });
  if (!device.key) throw new Error('the device was not registered');
  return {
    appointmentId: appointment.id,
    roomId: appointment.roomId,
    deviceId: device.id,
    deviceKey: device.key,
  };
}

/** `n` clean samples from `seq`, one every 100 ms ending now. */
export function samples(seq: number, n: number, intensity = 5) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    seq: seq + i,
    at: new Date(now - (n - 1 - i) * 100).toISOString(),
    channels: [
      { channel: 1, intensityMa: intensity, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 1200 },
      {
        channel: 2,
        intensityMa: intensity * 0.8,
        frequencyHz: 4,
        pulseWidthUs: 250,
        impedanceOhm: 1400,
      },
    ],
    batteryPct: 87,
    flags: [],
  }));
}
