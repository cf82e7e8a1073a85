import {
  type Appointment,
  type AppointmentTypeView,
  type Clinic,
  type PractitionerView,
  type SessionPlan,
  type TreatmentSession,
} from '@tautline/domain';
import { ApiError, type ApiClient } from './api-client';
import {
  chooseClinics,
  type ClinicSetup,
  endSession,
  estimType,
  loadClinic,
  simPatients,
} from './clinic-setup';
import { type Interval, type PoolMember, type SimPool } from './sim-pool';
import {
  createSimRoom,
  deviceWithFreshKey,
  prepareSimPatient,
  prepareSimPractitioner,
  recordConsents,
} from './sim-resources';

/** One running e-stim session the simulator streams for, and everything it took. */
export interface Treatment {
  setup: ClinicSetup;
  /** "Sim room 03 · London Bridge". */
  label: string;
  appointmentId: string;
  sessionId: string;
  deviceId: string;
  key: string;
  plan: SessionPlan;
}

const MINUTE = 60_000;
/** Bookings must start in the future: the next 5-minute grid start at least this far ahead. */
const BOOKING_LEAD_MS = 60_000;
const BOOKING_ATTEMPTS = 4;

/**
 * Sets up e-stim treatments through the REST API as a clinic would: the admin (`clinic.manage`,
 * `device.manage`, `patient.write`) creates Sim rooms, practitioners with extra hours, patients
 * with consent and stimulators; the operator (a supervisor: `appointment.write`,
 * `session.operate`) books, checks in, creates and starts the session, and stops it at the end.
 */
export class Provisioner {
  private constructor(
    private readonly admin: ApiClient,
    private readonly operator: ApiClient,
    readonly clinics: ClinicSetup[],
    private readonly type: AppointmentTypeView,
    private readonly practitionerViews: Map<string, PractitionerView>,
    private readonly run: { startMs: number; endMs: number },
  ) {}

  static async prepare(input: {
    admin: ApiClient;
    operator: ApiClient;
    clinics: string[];
    runEndMs: number;
    note: (message: string) => void;
  }): Promise<Provisioner> {
    const { admin, operator } = input;
    await admin.signIn();
    const operatorUser = await operator.signIn();
    const clinics = chooseClinics(
      await admin.call<Clinic[]>('GET', '/clinics'),
      operatorUser.clinicIds,
      input.clinics,
    );
    if (clinics.length === 0) throw new Error('the admin and operator accounts share no clinic');
    const type = estimType(await admin.call<AppointmentTypeView[]>('GET', '/appointment-types'));
    const practitioners = await admin.call<PractitionerView[]>('GET', '/practitioners');
    const patients = await simPatients(admin);
    const numbering = { practitioners: { highest: 0 }, patients: { highest: 0 } };
    const loaded = await Promise.all(
      clinics.map((clinic) =>
        loadClinic({
          admin,
          operator,
          clinic,
          practitioners,
          patients,
          numbering,
          runEndMs: input.runEndMs,
        }),
      ),
    );
    const ended = loaded.reduce((n, l) => n + l.leftovers.sessionsEnded, 0);
    const cancelled = loaded.reduce((n, l) => n + l.leftovers.appointmentsCancelled, 0);
    if (ended + cancelled > 0) {
      input.note(
        `simulator: ended ${ended} session(s) and cancelled ${cancelled} appointment(s) an earlier run left behind`,
      );
    }
    return new Provisioner(
      admin,
      operator,
      loaded.map((l) => l.setup),
      type,
      new Map(practitioners.map((p) => [p.id, p])),
      { startMs: Date.now(), endMs: input.runEndMs },
    );
  }

  /** Books, checks in, registers (or re-keys) the room's stimulator, creates and starts a session. */
  async startTreatment(setup: ClinicSetup, wantedPlan: SessionPlan): Promise<Treatment> {
    const { type } = this;
    for (let attempt = 1; ; attempt++) {
      const start = setup.clock.nextOnGrid(Date.now() + BOOKING_LEAD_MS, 5);
      const window: Interval = {
        from: start - type.bufferBeforeMinutes * MINUTE,
        to: start + (type.durationMinutes + type.bufferAfterMinutes) * MINUTE,
      };
      const claims = {
        room: setup.rooms.claim(window).member,
        practitioner: setup.practitioners.claim(window).member,
        patient: setup.patients.claim(window).member,
      };
      const pools: Record<keyof typeof claims, SimPool> = {
        room: setup.rooms,
        practitioner: setup.practitioners,
        patient: setup.patients,
      };
      let appointment: Appointment;
      try {
        await Promise.all([
          this.prepared(claims.room, () => createSimRoom(this.admin, setup, claims.room)),
          this.prepared(claims.practitioner, () =>
            prepareSimPractitioner(
              this.admin,
              setup,
              claims.practitioner,
              this.known(claims.practitioner),
              this.run,
            ),
          ),
          this.prepared(claims.patient, () => prepareSimPatient(this.admin, setup, claims.patient)),
        ]);
        appointment = await this.operator.call<Appointment>('POST', '/appointments', {
          clinicId: setup.clinic.id,
          patientId: claims.patient.id,
          practitionerId: claims.practitioner.id,
          roomId: claims.room.id,
          appointmentTypeId: type.id,
          start: new Date(start).toISOString(),
        });
      } catch (error) {
        // A clash names the resource someone else booked: it stays marked busy, the others go back.
        const clash =
          error instanceof ApiError && error.status === 409
            ? String(error.problem?.resource ?? '')
            : '';
        for (const key of Object.keys(claims) as (keyof typeof claims)[]) {
          if (key !== clash) pools[key].release(claims[key], window);
        }
        const late =
          error instanceof ApiError && error.status === 400 && /past/.test(error.message);
        const screening =
          error instanceof ApiError &&
          error.status === 422 &&
          error.problem?.screening !== undefined;
        if (screening && claims.patient.id) await recordConsents(this.admin, claims.patient.id);
        if ((clash || late || screening) && attempt < BOOKING_ATTEMPTS) continue;
        throw error;
      }
      return this.startSession(setup, appointment, claims.room, wantedPlan);
    }
  }

  /** Stops the session with no adverse event; a session already over counts as stopped. */
  async stopTreatment(treatment: Treatment): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.operator.request('POST', `/sessions/${treatment.sessionId}/stop`, {
          adverseEvent: { kind: 'none' },
        });
        if (res.status === 200 || res.status === 409) return true;
        if (res.status < 500 || attempt >= 3)
          throw new ApiError(
            'POST',
            `/sessions/${treatment.sessionId}/stop`,
            res.status,
            res.body as never,
          );
      } catch (error) {
        if (error instanceof ApiError || attempt >= 3) throw error;
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }

  private async startSession(
    setup: ClinicSetup,
    appointment: Appointment,
    room: PoolMember,
    wantedPlan: SessionPlan,
  ): Promise<Treatment> {
    const { operator } = this;
    let sessionId: string | null = null;
    try {
      await operator.call('POST', `/appointments/${appointment.id}/check-in`, {});
      const device = await deviceWithFreshKey(this.admin, setup, room.id!);
      // A stimulator registered by someone else may have fewer channels than the plan.
      const plan: SessionPlan = {
        ...wantedPlan,
        channels: wantedPlan.channels.filter((c) => c.channel <= device.channels),
      };
      const body = { appointmentId: appointment.id, plan };
      let created = await operator.request<TreatmentSession>('POST', '/sessions', body);
      if (created.status === 409) {
        // The stimulator still drives a session nobody ended: end it and try again.
        await this.endSessionsOfDevice(setup, device.id);
        created = await operator.request<TreatmentSession>('POST', '/sessions', body);
      }
      if (created.status !== 201)
        throw new ApiError('POST', '/sessions', created.status, created.body as never);
      sessionId = created.body.id;
      await operator.call('POST', `/sessions/${sessionId}/start`, {});
      return {
        setup,
        label: `${room.name} · ${setup.clinic.name}`,
        appointmentId: appointment.id,
        sessionId,
        deviceId: device.id,
        key: device.key,
        plan,
      };
    } catch (error) {
      // Undo, best effort, so the room, practitioner and patient are free again.
      if (sessionId)
        await operator.request('POST', `/sessions/${sessionId}/abort`, {}).catch(() => undefined);
      await operator
        .request('POST', `/appointments/${appointment.id}/cancel`, {
          reason: 'Device simulator: set-up failed',
        })
        .catch(() => undefined);
      throw error;
    }
  }

  private async endSessionsOfDevice(setup: ClinicSetup, deviceId: string): Promise<void> {
    for (const status of ['running', 'paused', 'ready'] as const) {
      const sessions = await this.operator.call<TreatmentSession[]>(
        'GET',
        `/sessions?clinicId=${setup.clinic.id}&status=${status}`,
      );
      for (const s of sessions.filter((x) => x.deviceId === deviceId))
        await endSession(this.operator, s);
    }
  }

  private known(member: PoolMember): PractitionerView | undefined {
    return member.id ? this.practitionerViews.get(member.id) : undefined;
  }

  /** Runs a member's one-off preparation once per run; a failed one is tried again next time. */
  private prepared(member: PoolMember, work: () => Promise<void>): Promise<void> {
    member.prepared ??= work().catch((error: unknown) => {
      member.prepared = undefined;
      throw error;
    });
    return member.prepared;
  }
}
