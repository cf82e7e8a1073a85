import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Appointment,
  type StartSessionRequest,
  type StopSessionRequest,
  type TreatmentSession,
  type TreatmentSessionEvent,
  maySessionBeOperatedBy,
  sessionClockAfter,
  sessionTransition,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PG, pgErrorOf } from '../common/pg-errors';
import { notFound, Problem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { LiveSessionsService } from '../live-sessions/live-sessions.service';
import { BookingService } from '../scheduling/booking.service';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { clinicThresholds } from './safety-thresholds.store';
import { SESSION_COLUMNS, type SessionRow, toTreatmentSession } from './session.row';
import { SessionEnding } from './session-ending';

interface Context {
  clinic_id: string;
  room_id: string;
  practitioner_id: string;
  treating_user_id: string | null;
  status: Appointment['status'];
  uses_estim: boolean;
  device_id: string | null;
  device_channels: number | null;
}

/** 403 unless the caller treats this appointment or supervises (see maySessionBeOperatedBy). */
function requireOperator(user: AuthenticatedUser, treatingUserId: string | null): void {
  const verdict = maySessionBeOperatedBy({ userId: user.id, role: user.role }, treatingUserId);
  if (!verdict.ok) throw new Problem(HttpStatus.FORBIDDEN, 'Forbidden', verdict.reason);
}

const unprocessable = (field: string, message: string) =>
  new Problem(HttpStatus.UNPROCESSABLE_ENTITY, 'Cannot start e-stim', message, [
    { field, message },
  ]);

/**
 * Treatment sessions: created from a checked-in e-stim appointment in its room, with that room's
 * stimulator and practitioner; moved through the domain's state machine; the appointment follows
 * (`in_session` on start, `completed` at the end) in the same transaction.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly booking: BookingService,
    private readonly live: LiveSessionsService,
    private readonly ending: SessionEnding,
  ) {}

  async get(scope: TenantScope, id: string): Promise<TreatmentSession> {
    return toTreatmentSession(await this.find(this.db.manager, scope, id));
  }

  async list(scope: TenantScope, clinicId: string, status?: string): Promise<TreatmentSession[]> {
    scope.requireClinic(clinicId);
    const rows = (await this.db.query(
      `SELECT ${SESSION_COLUMNS} FROM treatment_sessions s
        WHERE s.clinic_id = $1 AND s.organisation_id = $2 AND ($3::text IS NULL OR s.status = $3)
        ORDER BY s.created_at DESC LIMIT 200`,
      [clinicId, scope.organisationId, status ?? null],
    )) as SessionRow[];
    return rows.map(toTreatmentSession);
  }

  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    req: StartSessionRequest,
  ): Promise<TreatmentSession> {
    const [ctx] = (await this.db.query(
      `SELECT a.clinic_id, a.room_id, a.practitioner_id, p.user_id AS treating_user_id, a.status, t.uses_estim,
              d.id AS device_id, d.channels AS device_channels
         FROM appointments a
         JOIN appointment_types t ON t.id = a.appointment_type_id
         JOIN practitioners p ON p.id = a.practitioner_id
         LEFT JOIN devices d ON d.room_id = a.room_id AND d.revoked_at IS NULL
        WHERE a.id = $1 AND a.organisation_id = $2`,
      [req.appointmentId, scope.organisationId],
    )) as Context[];
    if (!ctx || !scope.hasClinic(ctx.clinic_id)) throw notFound('appointment', req.appointmentId);
    requireOperator(user, ctx.treating_user_id);
    if (ctx.status !== 'checked_in') {
      throw new Problem(
        HttpStatus.CONFLICT,
        'Conflict',
        `the appointment must be checked in first (it is ${ctx.status})`,
        [{ field: 'body.appointmentId', message: `is ${ctx.status}, not checked_in` }],
      );
    }
    if (!ctx.uses_estim)
      throw unprocessable('body.appointmentId', 'the appointment type does not include e-stim');
    if (!ctx.device_id || ctx.device_channels === null)
      throw unprocessable(
        'body.appointmentId',
        'no stimulator is registered in the appointment’s room',
      );
    const thresholds = await clinicThresholds(this.db.manager, scope.organisationId, ctx.clinic_id);
    const tooMany = req.plan.channels.find((c) => c.channel > ctx.device_channels!);
    if (tooMany)
      throw unprocessable(
        'body.plan.channels',
        `the room’s stimulator has ${ctx.device_channels} channels`,
      );
    const overLimit = req.plan.channels.findIndex(
      (c) => c.intensityCeilingMa > thresholds.deviceMaxIntensityMa,
    );
    if (overLimit >= 0) {
      throw unprocessable(
        `body.plan.channels.${overLimit}.intensityCeilingMa`,
        `is above the device limit of ${thresholds.deviceMaxIntensityMa} mA`,
      );
    }
    try {
      const row = await inTransaction(this.db, async (tx) => {
        const [created] = (await tx.query(
          `INSERT INTO treatment_sessions AS s (organisation_id, clinic_id, room_id, device_id, appointment_id, practitioner_id, status,
             plan, thresholds, planned_duration_minutes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, 'ready', $7, $8, $9, $10) RETURNING ${SESSION_COLUMNS}`,
          [
            scope.organisationId,
            ctx.clinic_id,
            ctx.room_id,
            ctx.device_id,
            req.appointmentId,
            ctx.practitioner_id,
            JSON.stringify(req.plan),
            JSON.stringify(thresholds),
            req.plan.plannedDurationMinutes,
            user.id,
          ],
        )) as SessionRow[];
        await this.audit.record(tx, user, {
          action: 'session.created',
          subjectType: 'treatment_session',
          subjectId: created!.id,
          clinicId: ctx.clinic_id,
          details: { appointmentId: req.appointmentId, channels: req.plan.channels.length },
        });
        return created!;
      });
      void this.live.sessionChanged(scope.organisationId, row.id);
      return toTreatmentSession(row);
    } catch (error) {
      const pg = pgErrorOf(error);
      if (pg?.code === PG.uniqueViolation) {
        const what =
          pg.constraint === 'treatment_sessions_one_per_device'
            ? 'the room’s stimulator is in use by another session'
            : 'the appointment already has a session';
        throw new Problem(HttpStatus.CONFLICT, 'Conflict', what, [
          { field: 'body.appointmentId', message: what },
        ]);
      }
      throw error;
    }
  }

  /** start, pause, resume, stop (with the adverse-event record) or abort. */
  async command(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    event: TreatmentSessionEvent,
    body: Partial<StopSessionRequest> = {},
  ): Promise<TreatmentSession> {
    const result = await inTransaction(this.db, async (tx) => {
      const current = await this.find(tx, scope, id, true);
      const [treating] = (await tx.query(`SELECT user_id FROM practitioners WHERE id = $1`, [
        current.practitioner_id,
      ])) as {
        user_id: string | null;
      }[];
      requireOperator(user, treating?.user_id ?? null);
      const move = sessionTransition(current.status, event);
      if (!move.ok)
        throw new Problem(HttpStatus.CONFLICT, 'Conflict', move.error.message, undefined, {
          currentStatus: current.status,
        });
      const now = new Date();
      const clock = sessionClockAfter(
        {
          runningSeconds: current.running_seconds,
          runningSince: current.running_since?.toISOString() ?? null,
        },
        event,
        now.getTime(),
      );
      const ending = move.status === 'completed' || move.status === 'aborted';
      const summary = ending
        ? await this.ending.summarise(tx, current, clock.runningSeconds)
        : null;
      const [[row]] = (await tx.query(
        `UPDATE treatment_sessions AS s SET status = $2, running_seconds = $3, running_since = $4,
                started_at = coalesce(started_at, CASE WHEN $5 THEN $6::timestamptz END),
                ended_at = CASE WHEN $7 THEN $6::timestamptz ELSE ended_at END,
                summary = coalesce($8, summary), adverse_event = coalesce($9, adverse_event),
                version = version + 1, updated_at = now()
          WHERE s.id = $1 RETURNING ${SESSION_COLUMNS}`,
        [
          id,
          move.status,
          clock.runningSeconds,
          clock.runningSince,
          event === 'start',
          now,
          ending,
          summary ? JSON.stringify(summary) : null,
          body.adverseEvent ? JSON.stringify(body.adverseEvent) : null,
        ],
      )) as [SessionRow[], number];
      const resolved = ending ? await this.ending.resolveAlerts(tx, id, now) : [];
      const appointment = await this.moveAppointment(tx, scope, user, current, event);
      await this.audit.record(tx, user, {
        action: `session.${event}`,
        subjectType: 'treatment_session',
        subjectId: id,
        clinicId: current.clinic_id,
        details: body.adverseEvent ? { adverseEvent: body.adverseEvent.kind } : {},
      });
      return { row: row!, appointment, resolved };
    });
    if (result.appointment) this.booking.announce('status_changed', result.appointment);
    for (const alert of result.resolved) this.live.alertChanged('alert.updated', alert);
    void this.live.sessionChanged(scope.organisationId, id);
    return toTreatmentSession(result.row);
  }

  /** The appointment follows: in session from the first start, completed when a started session ends. */
  private async moveAppointment(
    tx: EntityManager,
    scope: TenantScope,
    user: AuthenticatedUser,
    session: SessionRow,
    event: TreatmentSessionEvent,
  ): Promise<Appointment | null> {
    const [appointment] = (await tx.query(`SELECT status FROM appointments WHERE id = $1`, [
      session.appointment_id,
    ])) as {
      status: Appointment['status'];
    }[];
    if (event === 'start' && appointment?.status === 'checked_in')
      return this.booking.changeStatusIn(tx, scope, user, session.appointment_id, 'start_session');
    if ((event === 'stop' || event === 'abort') && appointment?.status === 'in_session')
      return this.booking.changeStatusIn(tx, scope, user, session.appointment_id, 'complete');
    return null;
  }

  private async find(
    tx: EntityManager,
    scope: TenantScope,
    id: string,
    lock = false,
  ): Promise<SessionRow> {
    const [row] = (await tx.query(
      `SELECT ${SESSION_COLUMNS} FROM treatment_sessions s WHERE s.id = $1 AND s.organisation_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [id, scope.organisationId],
    )) as SessionRow[];
    if (!row || !scope.hasClinic(row.clinic_id)) throw notFound('session', id);
    return row;
  }
}
