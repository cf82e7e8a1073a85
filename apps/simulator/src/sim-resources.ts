import {
  type DeviceWithKey,
  type PatientView,
  type PractitionerView,
  type Room,
} from '@tautline/domain';
import { randomBytes } from 'node:crypto';
import { type ApiClient } from './api-client';
import { type ClinicSetup, SIM_PATIENT_GIVEN_NAME } from './clinic-setup';
import { SIMULATED_DEVICE_CHANNELS } from './session-plan';
import { type PoolMember } from './sim-pool';

/**
 * The admin's part of a treatment: Sim rooms with a stimulator, e-stim-qualified practitioners
 * working extra hours through the run, patients with consent, and the room's device key.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function createSimRoom(
  admin: ApiClient,
  setup: ClinicSetup,
  member: PoolMember,
): Promise<void> {
  if (member.id) return;
  const room = await admin.call<Room>('POST', `/clinics/${setup.clinic.id}/rooms`, {
    name: member.name,
    hasStimulator: true,
  });
  member.id = room.id;
}

/**
 * A new practitioner, or a reused one whose dry-needling certification is renewed if it would
 * lapse before the run ends; either way extra hours at the clinic from now to after the run.
 */
export async function prepareSimPractitioner(
  admin: ApiClient,
  setup: ClinicSetup,
  member: PoolMember,
  known: PractitionerView | undefined,
  run: { startMs: number; endMs: number },
): Promise<void> {
  const certificationUntil = isoDate(Date.now() + 2 * 365 * DAY);
  if (!member.id) {
    const created = await admin.call<PractitionerView>('POST', '/practitioners', {
      name: member.name,
      credentials: 'PT, DPT (simulated)',
      dryNeedlingCertExpiresOn: certificationUntil,
      estimQualified: true,
      clinicIds: [setup.clinic.id],
    });
    member.id = created.id;
  } else {
    const expiresOn = known?.dryNeedlingCertExpiresOn ?? null;
    if (expiresOn === null || expiresOn <= isoDate(run.endMs + DAY)) {
      await admin.call('PATCH', `/practitioners/${member.id}`, {
        dryNeedlingCertExpiresOn: certificationUntil,
      });
    }
  }
  await admin.call('POST', `/practitioners/${member.id}/availability-exceptions`, {
    clinicId: setup.clinic.id,
    kind: 'extra_hours',
    start: new Date(run.startMs - 10 * MINUTE).toISOString(),
    end: new Date(run.endMs + 2 * 60 * MINUTE).toISOString(),
    reason: 'Device simulator run',
  });
}

/** A new "Sim Patient NN" of the clinic, with dry-needling and e-stim consent. */
export async function prepareSimPatient(
  admin: ApiClient,
  setup: ClinicSetup,
  member: PoolMember,
): Promise<void> {
  if (member.id) return;
  const n = member.number;
  const two = (x: number) => String(x).padStart(2, '0');
  const patient = await admin.call<PatientView>('POST', '/patients', {
    clinicId: setup.clinic.id,
    givenName: SIM_PATIENT_GIVEN_NAME,
    familyName: member.name,
    dateOfBirth: `${1950 + (n % 50)}-${two(1 + (n % 12))}-${two(1 + (n % 28))}`,
    preferredChannel: 'email',
    email: `sim.patient.${two(n)}@example.com`,
  });
  member.id = patient.id;
  await recordConsents(admin, patient.id);
}

/** Dry-needling and e-stim consent, signed a month ago; no contraindication (no pacemaker). */
export async function recordConsents(admin: ApiClient, patientId: string): Promise<void> {
  for (const kind of ['dry_needling', 'estim'] as const) {
    await admin.call('POST', `/patients/${patientId}/consents`, {
      kind,
      signedOn: isoDate(Date.now() - 30 * DAY),
      version: 'sim-2026',
    });
  }
}

/** The room's stimulator with a fresh key: an existing one is re-keyed (a key is shown only once). */
export async function deviceWithFreshKey(
  admin: ApiClient,
  setup: ClinicSetup,
  roomId: string,
): Promise<{ id: string; key: string; channels: number }> {
  const existing = setup.devices.get(roomId);
  if (existing) {
    const rotated = await admin.request<DeviceWithKey>(
      'POST',
      `/devices/${existing.id}/rotate-key`,
    );
    if (rotated.status === 200) {
      return { id: rotated.body.id, key: rotated.body.key, channels: rotated.body.channels };
    }
    setup.devices.delete(roomId); // revoked or gone meanwhile: register a new one
  }
  const device = await admin.call<DeviceWithKey>('POST', `/clinics/${setup.clinic.id}/devices`, {
    roomId,
    serial: `SIM-${randomBytes(5).toString('hex')}`,
    model: 'Tautline Stim 4 (simulated)',
    firmware: 'sim-1.0',
    channels: SIMULATED_DEVICE_CHANNELS,
  });
  setup.devices.set(roomId, { id: device.id, channels: device.channels });
  return { id: device.id, key: device.key, channels: device.channels };
}
