import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Env, sendLockWaitMs } from '@tautline/config';
import { planReminders, type ReminderCause, type ReminderChannel } from '@tautline/domain';
import { closeWithin, queueReminders, type TypedQueue, withdrawReminders } from '@tautline/queues';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type EntityManager } from 'typeorm';
import { ENV } from '../config/config.module';
import { effectivePolicy, lockAppointmentSends } from '@tautline/db';
import { REMINDERS_QUEUE } from './reminders.queue';

/** What a change did to an appointment's reminders, for an honest answer. */
export interface ReminderWithdrawal {
  /** Rows this change cancelled: they will never be sent. */
  withdrawn: number;
  /**
   * Reminders of the appointment that had already gone out (a send in flight was waited for), or
   * whose crashed send may have reached the provider: the patient may have one.
   */
  alreadySent: number;
}

interface PlanningRow {
  organisation_id: string;
  clinic_id: string;
  patient_id: string;
  starts_at: Date;
  clinic_zone: string;
  patient_zone: string;
  phone: string | null;
  email: string | null;
  preferred_channel: ReminderChannel;
  sms_opted_out_at: Date | null;
  email_opted_out_at: Date | null;
}

/**
 * The reminder outbox (Key decision 3). Rows are written in the caller's transaction, next to the
 * booking change that caused them; `dispatch` makes the delayed jobs after commit. If the process
 * dies in between, or Redis loses the jobs, the worker's reconciler re-creates them from the rows.
 */
@Injectable()
export class ReminderOutboxService implements OnApplicationShutdown {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REMINDERS_QUEUE) private readonly queue: TypedQueue<'reminders'>,
    @Inject(ENV) private readonly env: Env,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('reminders');
  }

  /** Withdraws the appointment's pending reminders and plans new ones for its current time. */
  async replan(
    tx: EntityManager,
    appointmentId: string,
    cause: ReminderCause,
    now = new Date(),
  ): Promise<ReminderWithdrawal> {
    const withdrawal = await this.withdraw(
      tx,
      appointmentId,
      cause === 'booked' ? 'replanned' : 'rescheduled',
    );
    const [row] = (await tx.query(
      `SELECT a.organisation_id, a.clinic_id, a.patient_id, a.starts_at, c.time_zone AS clinic_zone,
              p.time_zone AS patient_zone, p.phone, p.email, p.preferred_channel, p.sms_opted_out_at, p.email_opted_out_at
         FROM appointments a JOIN clinics c ON c.id = a.clinic_id JOIN patients p ON p.id = a.patient_id
        WHERE a.id = $1`,
      [appointmentId],
    )) as PlanningRow[];
    if (!row) return withdrawal;
    const { policy } = await effectivePolicy(tx, row.organisation_id, row.clinic_id);
    const availableChannels: ReminderChannel[] = [];
    if (row.phone && !row.sms_opted_out_at) availableChannels.push('sms');
    if (row.email && !row.email_opted_out_at) availableChannels.push('email');
    const planned = planReminders({
      appointment: {
        id: appointmentId,
        start: row.starts_at.toISOString(),
        clinicTimeZone: row.clinic_zone,
      },
      policy,
      patient: {
        timeZone: row.patient_zone,
        availableChannels,
        preferredChannel: row.preferred_channel,
        optedOut:
          availableChannels.length === 0 &&
          (row.sms_opted_out_at !== null || row.email_opted_out_at !== null),
      },
      now: now.toISOString(),
      cause,
    });
    if (planned.length === 0) return withdrawal;
    // One multi-row INSERT; columns per reminder in the order of `values` below.
    const values = planned.flatMap((r) => [
      r.offset,
      r.channel,
      r.nominalAt,
      r.dueAt,
      r.status === 'planned' ? 'scheduled' : 'skipped',
      r.skipReason ?? null,
      r.movedForQuietHours,
      r.delayedForChangeGrace,
    ]);
    const tuples = planned.map((_, i) => {
      const p = (k: number) => `$${6 + i * 8 + k}`;
      return `($1, $2, $3, $4, 'reminder', ${p(0)}, ${p(1)}, $5, ${p(2)}::timestamptz, ${p(3)}::timestamptz, ${p(4)}, ${p(5)}, ${p(6)}::boolean, ${p(7)}::boolean)`;
    });
    await tx.query(
      `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, "offset", channel,
         appointment_starts_at, nominal_at, due_at, status, reason, moved_for_quiet_hours, delayed_for_change_grace)
       VALUES ${tuples.join(', ')}`,
      [row.organisation_id, row.clinic_id, appointmentId, row.patient_id, row.starts_at, ...values],
    );
    return withdrawal;
  }

  /**
   * Cancels the appointment's reminders not yet sent. First it takes the appointment's send lock
   * (`lockAppointmentSends`): a send in flight finishes (at most one provider call) and is counted
   * as sent; a send starting later re-reads this change and skips. Under the lock no live sender
   * is between its claim and its outcome, so a `sending` row whose call never started is a dead
   * claim and is withdrawn too; one whose call started (a crashed worker) may have gone out.
   */
  async withdraw(
    tx: EntityManager,
    appointmentId: string,
    reason: string,
  ): Promise<ReminderWithdrawal> {
    await lockAppointmentSends(tx, appointmentId, sendLockWaitMs(this.env));
    const [, withdrawn] = (await tx.query(
      `UPDATE reminders SET status = 'cancelled', reason = $2, lease_until = NULL, updated_at = now()
        WHERE appointment_id = $1 AND purpose = 'reminder'
          AND (status = 'scheduled' OR (status = 'sending' AND send_started_at IS NULL))`,
      [appointmentId, reason],
    )) as [unknown, number];
    const [counted] = (await tx.query(
      `SELECT count(*)::int AS sent FROM reminders
        WHERE appointment_id = $1 AND purpose = 'reminder'
          AND (status = 'sent' OR (status = 'sending' AND send_started_at IS NOT NULL))`,
      [appointmentId],
    )) as { sent: number }[];
    return { withdrawn, alreadySent: counted?.sent ?? 0 };
  }

  /**
   * After commit: a delayed job for every scheduled row of the appointments, and no job for their
   * withdrawn ones. Never throws: the rows are committed, and the reconciler repairs what this misses.
   */
  async dispatch(appointmentIds: readonly string[]): Promise<void> {
    if (appointmentIds.length === 0) return;
    try {
      const rows = (await this.db.query(
        `SELECT id, status, due_at FROM reminders
          WHERE appointment_id = ANY($1::uuid[]) AND due_at > now() - interval '1 day'
            AND (status = 'scheduled' OR (status = 'cancelled' AND updated_at > now() - interval '1 hour'))`,
        [appointmentIds],
      )) as { id: string; status: string; due_at: Date }[];
      await withdrawReminders(
        this.queue,
        rows.filter((r) => r.status === 'cancelled').map((r) => r.id),
      );
      await queueReminders(
        this.queue,
        rows.filter((r) => r.status === 'scheduled').map((r) => ({ id: r.id, dueAt: r.due_at })),
        { attempts: this.env.REMINDER_SEND_ATTEMPTS, backoffMs: this.env.REMINDER_BACKOFF_MS },
      );
    } catch (err) {
      this.logger.warn(
        {
          event: 'reminders.dispatch_failed',
          appointments: appointmentIds.length,
          err: (err as Error).name,
        },
        'reminder jobs not queued now; the reconciler will queue them',
      );
    }
  }

  /** Queues specific rows (keyword answers) after commit; same guarantees as `dispatch`. */
  async dispatchRows(rows: readonly { id: string; dueAt: Date }[]): Promise<void> {
    try {
      await queueReminders(this.queue, rows, {
        attempts: this.env.REMINDER_SEND_ATTEMPTS,
        backoffMs: this.env.REMINDER_BACKOFF_MS,
      });
    } catch (err) {
      this.logger.warn(
        { event: 'reminders.dispatch_failed', err: (err as Error).name },
        'queued later by the reconciler',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(() => this.queue.close());
  }
}
