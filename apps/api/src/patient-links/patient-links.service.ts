import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Appointment,
  isOpenForPatient,
  type PatientAppointmentView,
  type PatientCancelRequest,
  type PatientRescheduleRequest,
  type PatientSlotList,
  type PatientSlotQuery,
  PATIENT_SLOT_PAGE_MAX,
  patientSlotWindow,
} from '@tautline/domain';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem, validationProblem } from '../common/problem';
import { unbookable } from '../scheduling/booking.problems';
import { BookingService } from '../scheduling/booking.service';
import { SlotsService } from '../scheduling/slots.service';
import {
  forPatient,
  linkNotFound,
  notOpen,
  type PatientAction,
  pastCutoff,
} from './patient-link.problems';
import {
  type LinkedAppointment,
  type LinkedRow,
  PatientLinkReader,
  present,
} from './patient-link.reader';

const MINUTE = 60_000;

/**
 * Patient self-service behind signed reminder links. The token is the only credential: it names
 * one appointment, and every change goes through the same BookingService as the staff API (same
 * checks, audit, reminder re-planning and `appointment.changed` after commit).
 */
@Injectable()
export class PatientLinksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reader: PatientLinkReader,
    private readonly booking: BookingService,
    private readonly slotSearch: SlotsService,
    private readonly audit: AuditService,
  ) {}

  async view(token: string, now = new Date()): Promise<PatientAppointmentView> {
    const link = await this.reader.open(token, now);
    await this.recordRead(link, 'patient_link.viewed');
    return present(link, now);
  }

  async confirm(token: string, now = new Date()): Promise<PatientAppointmentView> {
    const link = await this.reader.open(token, now);
    if (link.row.status === 'confirmed') return this.unchanged(link, 'confirm', now);
    if (!present(link, now).canConfirm) throw this.notOpen(link, 'confirm', now);
    return this.act(
      link,
      now,
      () => this.booking.changeStatus(link.scope, link.actor, link.row.id, 'confirm'),
      (fresh) => fresh.status === 'confirmed',
    );
  }

  async cancel(
    token: string,
    body: PatientCancelRequest,
    now = new Date(),
  ): Promise<PatientAppointmentView> {
    const link = await this.reader.open(token, now);
    if (link.row.status === 'cancelled') return this.unchanged(link, 'cancel', now);
    this.requireBeforeCutoff(link, 'cancel', now);
    return this.act(
      link,
      now,
      () =>
        this.booking.changeStatus(link.scope, link.actor, link.row.id, 'cancel', {
          reason: body.reason,
        }),
      (fresh) => fresh.status === 'cancelled',
    );
  }

  /** Free starts of the same practitioner, clinic and appointment type; each lasts as long as this one. */
  async slots(token: string, query: PatientSlotQuery, now = new Date()): Promise<PatientSlotList> {
    const link = await this.reader.open(token, now);
    const { row, scope } = link;
    this.requireBeforeCutoff(link, 'reschedule', now);
    const window = patientSlotWindow(query, now.toISOString());
    if (!window.ok) throw validationProblem([{ field: window.field, message: window.message }]);
    const found = await this.forPatient(link, () =>
      this.slotSearch.search(
        scope,
        {
          clinicId: row.clinic_id,
          appointmentTypeId: row.appointment_type_id,
          practitionerId: row.practitioner_id,
          patientId: row.patient_id,
          from: window.from,
          to: window.to,
          // One practitioner: one slot per start, so this covers the page and the next start.
          limit: PATIENT_SLOT_PAGE_MAX + 2,
        },
        now,
      ),
    );
    const length = row.ends_at.getTime() - row.starts_at.getTime();
    const current = row.starts_at.toISOString();
    await this.recordRead(link, 'patient_link.slots_viewed');
    const offered = found.slots
      .filter((s) => s.practitionerId === row.practitioner_id && s.start !== current)
      .map((s) => ({ start: s.start, end: new Date(Date.parse(s.start) + length).toISOString() }));
    // A bounded page: the patient's page asks again from `nextFrom` for later times.
    return {
      timeZone: found.timeZone,
      slots: offered.slice(0, PATIENT_SLOT_PAGE_MAX),
      nextFrom: offered[PATIENT_SLOT_PAGE_MAX]?.start ?? null,
    };
  }

  async reschedule(
    token: string,
    body: PatientRescheduleRequest,
    now = new Date(),
  ): Promise<PatientAppointmentView> {
    const link = await this.reader.open(token, now);
    const { row } = link;
    const start = Date.parse(body.start);
    if (!isOpenForPatient(row.status, row.starts_at.toISOString(), now.toISOString()))
      throw this.notOpen(link, 'reschedule', now);
    // A double submit finds the appointment where the patient wants it.
    if (start === row.starts_at.getTime()) return this.unchanged(link, 'reschedule', now);
    this.requireBeforeCutoff(link, 'reschedule', now);
    if (start <= now.getTime()) throw unbookable('body.start', 'is in the past');
    const move = (roomId?: string) =>
      this.booking.reschedule(link.scope, link.actor, row.id, {
        version: body.version,
        start: body.start,
        roomId,
      });
    return this.act(
      link,
      now,
      async () => {
        try {
          // The booking service keeps the room when it can; the offered slot may be in another one.
          return await move();
        } catch (error) {
          const roomId = await this.freeRoom(link, error, start);
          if (!roomId) throw error;
          return move(roomId);
        }
      },
      (fresh) => fresh.starts_at.getTime() === start,
    );
  }

  /**
   * Runs a booking-service change (which audits, re-plans reminders and announces after commit),
   * then answers with the fresh view. A concurrent double submit that lost the race to an
   * identical change (illegal transition or stale version) answers 200 like a sequential one.
   */
  private async act(
    link: LinkedAppointment,
    now: Date,
    change: () => Promise<Appointment>,
    settled: (fresh: LinkedRow) => boolean,
  ): Promise<PatientAppointmentView> {
    try {
      await change();
    } catch (error) {
      const fresh =
        error instanceof Problem &&
        error.getStatus() === 409 &&
        (await this.reader.load(link.row.id));
      if (fresh && settled(fresh)) return present({ ...link, row: fresh }, now);
      throw forPatient(error, link.row.clinic_phone);
    }
    const fresh = await this.reader.load(link.row.id);
    if (!fresh) throw linkNotFound();
    return present({ ...link, row: fresh }, now);
  }

  private async forPatient<T>(link: LinkedAppointment, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw forPatient(error, link.row.clinic_phone);
    }
  }

  /** When the kept room is what clashes: a room the slot engine offers for that exact start, if any. */
  private async freeRoom(
    link: LinkedAppointment,
    error: unknown,
    start: number,
  ): Promise<string | undefined> {
    if (!(error instanceof Problem) || error.extra?.resource !== 'room') return undefined;
    const { row, scope } = link;
    const found = await this.slotSearch.search(scope, {
      clinicId: row.clinic_id,
      appointmentTypeId: row.appointment_type_id,
      practitionerId: row.practitioner_id,
      from: new Date(start).toISOString(),
      to: new Date(start + MINUTE).toISOString(),
      grid: 5,
    });
    return found.slots.find((s) => Date.parse(s.start) === start)?.roomId;
  }

  private requireBeforeCutoff(
    link: LinkedAppointment,
    action: Exclude<PatientAction, 'confirm'>,
    now: Date,
  ): void {
    const view = present(link, now);
    if (!isOpenForPatient(view.status, view.start, now.toISOString()))
      throw this.notOpen(link, action, now);
    const allowed = action === 'cancel' ? view.canCancel : view.canReschedule;
    if (!allowed)
      throw pastCutoff(
        action,
        link.policy.lateCancelHours,
        view.cancelCutoff,
        link.row.clinic_phone,
      );
  }

  private notOpen(link: LinkedAppointment, action: PatientAction, now: Date): Problem {
    const { row } = link;
    return notOpen(action, row.status, row.starts_at.getTime() <= now.getTime(), row.clinic_phone);
  }

  /** Nothing to change (a double submit): the same view, no write but the read's audit row. */
  private async unchanged(
    link: LinkedAppointment,
    action: PatientAction,
    now: Date,
  ): Promise<PatientAppointmentView> {
    await this.recordRead(link, 'patient_link.viewed', { unchanged: action });
    return present(link, now);
  }

  /** Patient reads leave an audit row too (ids only, no actor user). */
  private recordRead(
    link: LinkedAppointment,
    action: string,
    details: Record<string, string> = {},
  ): Promise<void> {
    return this.audit.record(
      this.db.manager,
      null,
      {
        action,
        subjectType: 'appointment',
        subjectId: link.row.id,
        clinicId: link.row.clinic_id,
        details: { actor: 'patient', ...details },
      },
      link.row.organisation_id,
    );
  }
}
