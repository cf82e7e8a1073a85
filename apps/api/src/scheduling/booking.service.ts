import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Appointment,
  type AppointmentChange,
  type AppointmentEvent,
  clinicRoom,
  type CreateAppointmentRequest,
  type RescheduleRequest,
  transition,
} from '@tautline/domain';
import { type LiveEmitter } from '@tautline/queues';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound, Problem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { LIVE_EMITTER } from '../live/live-emitter.provider';
import { ReminderOutboxService } from '../reminders/reminder-outbox.service';
import {
  type Actor,
  type AuthenticatedUser,
  type TenantScope,
  userOf,
} from '../tenancy/tenant-scope';
import { APPOINTMENT_COLUMNS, type AppointmentRow, toAppointment } from './appointment.row';
import { asConflict, insertAppointment } from './appointment-writer';
import { AppointmentsRepository } from './appointments.repository';
import { BookingPlanService } from './booking-plan.service';
import { staleVersion } from './booking.problems';

const MINUTE = 60_000;

/** Audit details that say a patient acted (ids only). */
const actorDetails = (actor: Actor): Record<string, string> =>
  'kind' in actor ? { actor: 'patient' } : {};

/** Books, moves and changes appointments: plan (all checks), write in one transaction, audit, tell the clinic. */
@Injectable()
export class BookingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly planner: BookingPlanService,
    private readonly repo: AppointmentsRepository,
    private readonly audit: AuditService,
    private readonly reminders: ReminderOutboxService,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
  ) {}

  /** Checks, then returns the write to run inside the caller's (idempotent) transaction. */
  async prepareCreate(
    scope: TenantScope,
    user: AuthenticatedUser,
    req: CreateAppointmentRequest,
    seriesId: string | null = null,
  ) {
    const plan = await this.planner.plan(scope, user, { ...req, start: new Date(req.start) });
    const booking = {
      clinicId: req.clinicId,
      patientId: req.patientId,
      practitionerId: req.practitionerId,
      roomId: plan.roomId,
      appointmentTypeId: req.appointmentTypeId,
      start: plan.start,
      end: plan.end,
      bufferBeforeMinutes: plan.type.bufferBeforeMinutes,
      bufferAfterMinutes: plan.type.bufferAfterMinutes,
      seriesId,
      overrideReason: plan.overrideReason,
      // Who signed the override (the caller), not the practitioner booked.
      overriddenBy: plan.overrideReason ? user.id : null,
      createdBy: user.id,
    };
    return async (tx: EntityManager): Promise<Appointment> => {
      const row = await asConflict(tx, this.repo, scope.organisationId, booking, () =>
        insertAppointment(tx, scope, booking),
      );
      await this.audit.record(tx, user, {
        action: 'appointment.created',
        subjectType: 'appointment',
        subjectId: row.id,
        clinicId: row.clinic_id,
        details: { screeningOverride: plan.overrideReason !== null, seriesId },
      });
      await this.reminders.replan(tx, row.id, 'booked');
      return toAppointment(row);
    };
  }

  async reschedule(
    scope: TenantScope,
    actor: Actor,
    id: string,
    req: RescheduleRequest,
  ): Promise<Appointment> {
    const current = await this.repo.find(scope, id);
    if (!current) throw notFound('appointment', id);
    if (current.version !== req.version) throw staleVersion(current.version);
    const next = this.nextStatus(current, 'reschedule');
    const practitionerId = req.practitionerId ?? current.practitioner_id;
    const plan = await this.planner.plan(scope, actor, {
      clinicId: current.clinic_id,
      patientId: current.patient_id,
      practitionerId,
      // Keep the room when nothing else changes; otherwise let the planner pick a free one.
      roomId:
        req.roomId ?? (practitionerId === current.practitioner_id ? current.room_id : undefined),
      appointmentTypeId: current.appointment_type_id,
      start: new Date(req.start),
      durationMinutes: (current.ends_at.getTime() - current.starts_at.getTime()) / MINUTE,
      ignoreBookingId: id,
    });
    const moved = {
      practitionerId,
      roomId: plan.roomId,
      patientId: current.patient_id,
      start: plan.start,
      end: plan.end,
      bufferBeforeMinutes: current.buffer_before_minutes,
      bufferAfterMinutes: current.buffer_after_minutes,
    };
    const appointment = await inTransaction(this.db, async (tx) => {
      const rows = (await asConflict(
        tx,
        this.repo,
        scope.organisationId,
        moved,
        () =>
          tx.query(
            `UPDATE appointments AS a SET starts_at = $3, ends_at = $4, practitioner_id = $5, room_id = $6, status = $7,
                reschedule_requested_at = NULL, version = version + 1
            WHERE a.id = $1 AND a.version = $2 RETURNING ${APPOINTMENT_COLUMNS}`,
            [id, req.version, plan.start, plan.end, practitionerId, plan.roomId, next],
          ),
        id,
      )) as [AppointmentRow[], number];
      const row = rows[0][0];
      if (!row) throw staleVersion(req.version + 1);
      await this.audit.record(
        tx,
        userOf(actor),
        {
          action: 'appointment.rescheduled',
          subjectType: 'appointment',
          subjectId: id,
          clinicId: row.clinic_id,
          details: actorDetails(actor),
        },
        scope.organisationId,
      );
      const reminders = await this.reminders.replan(tx, id, 'rescheduled');
      return { ...toAppointment(row), reminders };
    });
    this.announce('rescheduled', appointment);
    return appointment;
  }

  async changeStatus(
    scope: TenantScope,
    actor: Actor,
    id: string,
    event: Exclude<AppointmentEvent, 'reschedule'>,
    opts: { version?: number; reason?: string } = {},
  ): Promise<Appointment> {
    const appointment = await inTransaction(this.db, (tx) =>
      this.changeStatusIn(tx, scope, actor, id, event, opts),
    );
    this.announce(event === 'cancel' ? 'cancelled' : 'status_changed', appointment);
    return appointment;
  }

  /**
   * The status change inside the caller's transaction (a treatment session moves its appointment
   * with it); the caller announces after commit.
   */
  async changeStatusIn(
    tx: EntityManager,
    scope: TenantScope,
    actor: Actor,
    id: string,
    event: Exclude<AppointmentEvent, 'reschedule'>,
    opts: { version?: number; reason?: string } = {},
  ): Promise<Appointment> {
    const current = await this.repo.find(scope, id, tx, true);
    if (!current) throw notFound('appointment', id);
    if (opts.version !== undefined && opts.version !== current.version)
      throw staleVersion(current.version);
    if (event === 'mark_no_show' && current.starts_at.getTime() > Date.now()) {
      throw new Problem(
        409,
        'Conflict',
        'a patient cannot be a no-show before the appointment has started',
      );
    }
    const next = this.nextStatus(current, event);
    const cancelling = event === 'cancel';
    const [rows] = (await tx.query(
      `UPDATE appointments AS a SET status = $2, version = version + 1,
                cancelled_reason = CASE WHEN $3 THEN $4 ELSE cancelled_reason END,
                cancelled_by = CASE WHEN $3 THEN $5::uuid ELSE cancelled_by END
          WHERE a.id = $1 RETURNING ${APPOINTMENT_COLUMNS}`,
      [id, next, cancelling, opts.reason ?? null, userOf(actor)?.id ?? null],
    )) as [AppointmentRow[], number];
    await this.audit.record(
      tx,
      userOf(actor),
      {
        action: `appointment.${event}`,
        subjectType: 'appointment',
        subjectId: id,
        clinicId: current.clinic_id,
        details: actorDetails(actor),
      },
      scope.organisationId,
    );
    // Reminders only make sense for a booked or confirmed appointment.
    if (next !== 'booked' && next !== 'confirmed') {
      const reminders = await this.reminders.withdraw(tx, id, `appointment_${next}`);
      return { ...toAppointment(rows[0]!), reminders };
    }
    return toAppointment(rows[0]!);
  }

  /**
   * After commit (never for a rolled-back write): other schedulers' calendars update without
   * reload, and the appointment's reminder jobs follow its rows.
   */
  announce(change: AppointmentChange, appointment: Appointment): void {
    this.live
      .to(clinicRoom(appointment.clinicId))
      .emit('appointment.changed', { change, appointment });
    void this.reminders.dispatch([appointment.id]);
  }

  private nextStatus(current: AppointmentRow, event: AppointmentEvent) {
    const result = transition(current.status, event);
    if (!result.ok)
      throw new Problem(409, 'Conflict', result.error.message, undefined, {
        resource: 'status',
        currentStatus: current.status,
      });
    return result.status;
  }
}
