import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { effectivePolicy } from '@tautline/db';
import {
  type EffectiveReminderPolicy,
  type LoggedMessage,
  type Reminder,
  ReminderPolicy,
  type ReminderPolicyInput,
} from '@tautline/domain';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';

interface ReminderRow {
  id: string;
  appointment_id: string;
  purpose: Reminder['purpose'];
  offset: string | null;
  channel: Reminder['channel'];
  nominal_at: Date | null;
  due_at: Date | null;
  status: Reminder['status'];
  reason: string | null;
  moved_for_quiet_hours: boolean;
  delayed_for_change_grace: boolean;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Reminder reads and policies; every read scoped to the caller's clinics (else 404). */
@Injectable()
export class RemindersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async forAppointment(scope: TenantScope, appointmentId: string): Promise<Reminder[]> {
    const [appointment] = (await this.db.query(
      `SELECT clinic_id FROM appointments WHERE id = $1 AND organisation_id = $2`,
      [appointmentId, scope.organisationId],
    )) as { clinic_id: string }[];
    if (!appointment || !scope.hasClinic(appointment.clinic_id))
      throw notFound('appointment', appointmentId);
    const rows = (await this.db.query(
      `SELECT id, appointment_id, purpose, "offset", channel, nominal_at, due_at, status, reason, moved_for_quiet_hours,
              delayed_for_change_grace, attempts, last_error, sent_at, created_at
         FROM reminders WHERE appointment_id = $1 ORDER BY created_at, nominal_at NULLS LAST, id`,
      [appointmentId],
    )) as ReminderRow[];
    return rows.map((r) => ({
      id: r.id,
      appointmentId: r.appointment_id,
      purpose: r.purpose,
      offset: r.offset,
      channel: r.channel,
      nominalAt: iso(r.nominal_at),
      dueAt: iso(r.due_at),
      status: r.status,
      reason: r.reason,
      movedForQuietHours: r.moved_for_quiet_hours,
      delayedForChangeGrace: r.delayed_for_change_grace,
      attempts: r.attempts,
      lastError: r.last_error,
      sentAt: iso(r.sent_at),
      createdAt: r.created_at.toISOString(),
    }));
  }

  async messageLog(scope: TenantScope, clinicId: string, limit: number): Promise<LoggedMessage[]> {
    scope.requireClinic(clinicId);
    const rows = (await this.db.query(
      `SELECT m.reminder_id, r.appointment_id, m.channel, m.destination, m.subject, m.body, m.logged_at
         FROM message_log m JOIN reminders r ON r.id = m.reminder_id
        -- Patients' messages; staff messages (alert escalations) share the outbox but not this log.
        WHERE r.appointment_id IS NOT NULL AND m.clinic_id = $1 AND m.organisation_id = $2 ORDER BY m.logged_at DESC LIMIT $3`,
      [clinicId, scope.organisationId, limit],
    )) as {
      reminder_id: string;
      appointment_id: string;
      channel: LoggedMessage['channel'];
      destination: string;
      subject: string | null;
      body: string;
      logged_at: Date;
    }[];
    return rows.map((m) => ({
      reminderId: m.reminder_id,
      appointmentId: m.appointment_id,
      channel: m.channel,
      destination: m.destination,
      subject: m.subject,
      body: m.body,
      loggedAt: m.logged_at.toISOString(),
    }));
  }

  async policy(scope: TenantScope, clinicId: string | null): Promise<EffectiveReminderPolicy> {
    if (clinicId === null) {
      const [row] = (await this.db.query(
        `SELECT policy FROM reminder_policies WHERE organisation_id = $1 AND clinic_id IS NULL`,
        [scope.organisationId],
      )) as { policy: unknown }[];
      return row
        ? { policy: ReminderPolicy.parse(row.policy), source: 'organisation' }
        : { policy: ReminderPolicy.parse({}), source: 'default' };
    }
    scope.requireClinic(clinicId);
    return effectivePolicy(this.db.manager, scope.organisationId, clinicId);
  }

  /** Sets the organisation's default (clinicId null) or a clinic's own policy. Applies to plans made from now on. */
  async setPolicy(
    scope: TenantScope,
    user: AuthenticatedUser,
    clinicId: string | null,
    input: ReminderPolicyInput,
  ): Promise<EffectiveReminderPolicy> {
    if (clinicId) scope.requireClinic(clinicId);
    const policy = ReminderPolicy.parse(input);
    await inTransaction(this.db, async (tx) => {
      await tx.query(
        `INSERT INTO reminder_policies (organisation_id, clinic_id, policy, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT reminder_policies_scope
         DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [scope.organisationId, clinicId, JSON.stringify(policy), user.id],
      );
      await this.audit.record(tx, user, {
        action: 'reminder_policy.set',
        subjectType: clinicId ? 'clinic' : 'organisation',
        subjectId: clinicId ?? scope.organisationId,
        clinicId,
      });
    });
    return { policy, source: clinicId ? 'clinic' : 'organisation' };
  }

  /** Drops a clinic's own policy: the organisation's default applies again. */
  async clearPolicy(
    scope: TenantScope,
    user: AuthenticatedUser,
    clinicId: string,
  ): Promise<EffectiveReminderPolicy> {
    scope.requireClinic(clinicId);
    await inTransaction(this.db, async (tx) => {
      await tx.query(
        `DELETE FROM reminder_policies WHERE organisation_id = $1 AND clinic_id = $2`,
        [scope.organisationId, clinicId],
      );
      await this.audit.record(tx, user, {
        action: 'reminder_policy.cleared',
        subjectType: 'clinic',
        subjectId: clinicId,
        clinicId,
      });
    });
    return effectivePolicy(this.db.manager, scope.organisationId, clinicId);
  }
}
