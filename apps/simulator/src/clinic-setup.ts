import {
  type Appointment,
  type AppointmentTypeView,
  type Clinic,
  ClinicClock,
  type Device,
  occupiesTime,
  type PatientPage,
  type PatientView,
  type PractitionerView,
  type Room,
  type TreatmentSession,
} from '@tautline/domain';
import { type ApiClient } from './api-client';
import { type Interval, type Numbering, SimPool, simNumber } from './sim-pool';

/**
 * What the simulator knows of one clinic: its "Sim" rooms, practitioners and patients with
 * their bookings, and the stimulator in each room. Loading it first ends what an earlier run
 * left behind (a killed simulator leaves sessions running and appointments checked in), so a
 * second run on the same database starts clean.
 */
export interface ClinicSetup {
  clinic: Clinic;
  clock: ClinicClock;
  rooms: SimPool;
  practitioners: SimPool;
  patients: SimPool;
  /** The active stimulator of each room, by room id. */
  devices: Map<string, { id: string; channels: number }>;
}

export const SIM_ROOM = 'Sim room';
export const SIM_PRACTITIONER = 'Sim practitioner';
/** Patients are "Sim Patient 01": given name Sim, family name "Patient 01". */
export const SIM_PATIENT_GIVEN_NAME = 'Sim';
export const SIM_PATIENT_FAMILY = 'Patient';

const HOUR = 3_600_000;
const LIVE_SESSION_STATUSES = ['running', 'paused', 'ready'] as const;
const UNSTARTED = new Set<Appointment['status']>(['booked', 'confirmed', 'checked_in']);

/** `New York Chelsea` → `new-york-chelsea`, as the demo's clinic slugs read. */
export const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The clinics to use: the admin's that the operator also works at, narrowed by `--clinic`. */
export function chooseClinics(
  clinics: Clinic[],
  operatorClinicIds: string[],
  wanted: string[],
): Clinic[] {
  const shared = clinics.filter((c) => operatorClinicIds.includes(c.id));
  if (wanted.length === 0) return shared;
  return wanted.map((w) => {
    const found = shared.find((c) => c.id === w || slugOf(c.name) === slugOf(w));
    if (!found) {
      throw new Error(
        `--clinic ${w}: not a clinic of both accounts (choose from ${shared.map((c) => slugOf(c.name)).join(', ') || 'none'})`,
      );
    }
    return found;
  });
}

/** The e-stim appointment type the demo books ("Dry needling + e-stim 45 min"), or any e-stim one. */
export function estimType(types: AppointmentTypeView[]): AppointmentTypeView {
  const active = types.filter((t) => t.active && t.usesEstim);
  const found = active.find((t) => t.name === 'Dry needling + e-stim 45 min') ?? active[0];
  if (!found) throw new Error('the organisation has no active e-stim appointment type to book');
  return found;
}

/** Every patient named "Sim Patient NN" the admin can see. */
export async function simPatients(admin: ApiClient): Promise<PatientView[]> {
  const found: PatientView[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const page: PatientPage = await admin.call<PatientPage>('POST', '/patients/search', {
      q: SIM_PATIENT_GIVEN_NAME,
      limit: 50,
      offset,
    });
    found.push(
      ...page.items.filter(
        (p) =>
          p.givenName === SIM_PATIENT_GIVEN_NAME &&
          simNumber(p.familyName, SIM_PATIENT_FAMILY) !== null,
      ),
    );
    offset = page.nextOffset;
  }
  return found;
}

export interface Leftovers {
  sessionsEnded: number;
  appointmentsCancelled: number;
}

/** Loads one clinic's pools after ending what an earlier run left in its Sim rooms. */
export async function loadClinic(input: {
  admin: ApiClient;
  operator: ApiClient;
  clinic: Clinic;
  practitioners: PractitionerView[];
  patients: PatientView[];
  numbering: { practitioners: Numbering; patients: Numbering };
  runEndMs: number;
}): Promise<{ setup: ClinicSetup; leftovers: Leftovers }> {
  const { admin, operator, clinic } = input;
  const setup: ClinicSetup = {
    clinic,
    clock: new ClinicClock(clinic.timeZone),
    rooms: new SimPool(SIM_ROOM),
    practitioners: new SimPool(SIM_PRACTITIONER, input.numbering.practitioners),
    patients: new SimPool(SIM_PATIENT_FAMILY, input.numbering.patients),
    devices: new Map(),
  };
  const simRoomIds = new Set<string>();
  for (const room of await admin.call<Room[]>('GET', `/clinics/${clinic.id}/rooms`)) {
    const n = simNumber(room.name, SIM_ROOM);
    if (n === null) continue;
    simRoomIds.add(room.id);
    if (room.active && room.hasStimulator) setup.rooms.add(room.id, n);
    else setup.rooms.noteNumber(n);
  }
  for (const device of await admin.call<Device[]>('GET', `/clinics/${clinic.id}/devices`)) {
    if (device.roomId && !device.revokedAt)
      setup.devices.set(device.roomId, { id: device.id, channels: device.channels });
  }
  for (const p of input.practitioners) {
    const n = simNumber(p.name, SIM_PRACTITIONER);
    if (n === null) continue;
    if (p.active && p.estimQualified && p.clinicIds.includes(clinic.id))
      setup.practitioners.add(p.id, n);
    else setup.practitioners.noteNumber(n);
  }
  for (const p of input.patients) {
    const n = simNumber(p.familyName, SIM_PATIENT_FAMILY)!;
    if (p.clinicId === clinic.id) setup.patients.add(p.id, n);
    else setup.patients.noteNumber(n);
  }

  const leftovers: Leftovers = { sessionsEnded: 0, appointmentsCancelled: 0 };
  for (const status of LIVE_SESSION_STATUSES) {
    const sessions = await operator.call<TreatmentSession[]>(
      'GET',
      `/sessions?clinicId=${clinic.id}&status=${status}`,
    );
    for (const s of sessions.filter((x) => simRoomIds.has(x.roomId))) {
      if (await endSession(operator, s)) leftovers.sessionsEnded += 1;
    }
  }
  const now = Date.now();
  const window = `from=${new Date(now - 12 * HOUR).toISOString()}&to=${new Date(Math.max(now + 12 * HOUR, input.runEndMs + 3 * HOUR)).toISOString()}`;
  const appointments = await operator.call<Appointment[]>(
    'GET',
    `/appointments?clinicId=${clinic.id}&${window}`,
  );
  for (const a of appointments) {
    if (simRoomIds.has(a.roomId) && UNSTARTED.has(a.status)) {
      const res = await operator.request('POST', `/appointments/${a.id}/cancel`, {
        reason: 'Device simulator clean-up: left by an earlier run',
      });
      if (res.status === 200) {
        a.status = 'cancelled';
        leftovers.appointmentsCancelled += 1;
      }
    }
    if (!occupiesTime(a.status)) continue;
    const occupied: Interval = {
      from: Date.parse(a.start) - a.bufferBeforeMinutes * 60_000,
      to: Date.parse(a.end) + a.bufferAfterMinutes * 60_000,
    };
    setup.rooms.markBusy(a.roomId, occupied);
    setup.practitioners.markBusy(a.practitionerId, occupied);
    setup.patients.markBusy(a.patientId, occupied);
  }
  return { setup, leftovers };
}

/** Stops a running or paused session (no adverse event), aborts a ready one; false if it already ended. */
export async function endSession(
  operator: ApiClient,
  session: Pick<TreatmentSession, 'id' | 'status'>,
): Promise<boolean> {
  const res =
    session.status === 'ready'
      ? await operator.request('POST', `/sessions/${session.id}/abort`, {})
      : await operator.request('POST', `/sessions/${session.id}/stop`, {
          adverseEvent: { kind: 'none' },
        });
  return res.status === 200;
}
