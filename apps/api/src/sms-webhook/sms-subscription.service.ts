import { Injectable } from '@nestjs/common';
import { type SmsReplyOutcome } from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ReminderOutboxService } from '../reminders/reminder-outbox.service';
import { type MatchedReply, queueKeywordAnswer } from './sms-reply.store';

/** What a keyword did inside the reply's transaction, and what to do once it has committed. */
export interface ReplyEffect {
  outcome: SmsReplyOutcome;
  afterCommit?: () => Promise<void>;
}

interface PhoneHolder {
  id: string;
  sms_opted_out_at: Date | null;
}

/**
 * STOP and START: SMS consent belongs to the phone number, so every patient of the organisation
 * who has that number on file is opted out (or back in) together. Runs in the reply's transaction.
 */
@Injectable()
export class SmsSubscriptionService {
  constructor(
    private readonly audit: AuditService,
    private readonly reminders: ReminderOutboxService,
  ) {}

  /**
   * Opts the number out, cancels its patients' scheduled SMS reminders and queues the single
   * confirmation the carriers require. A number already opted out gets nothing more.
   */
  async optOut(tx: EntityManager, reply: MatchedReply): Promise<ReplyEffect> {
    const holders = await this.lockHolders(tx, reply);
    if (holders.length === 0) return { outcome: 'number_not_on_file' };
    const subscribed = holders.filter((p) => p.sms_opted_out_at === null).map((p) => p.id);
    if (subscribed.length === 0) return { outcome: 'already_opted_out' };
    await tx.query(`UPDATE patients SET sms_opted_out_at = now() WHERE id = ANY($1::uuid[])`, [
      subscribed,
    ]);
    const [cancelled] = (await tx.query(
      `UPDATE reminders SET status = 'cancelled', reason = 'opted_out', updated_at = now()
        WHERE patient_id = ANY($1::uuid[]) AND purpose = 'reminder' AND status = 'scheduled' AND channel = 'sms'
        RETURNING id, patient_id, appointment_id`,
      [holders.map((p) => p.id)],
    )) as [{ id: string; patient_id: string; appointment_id: string }[], number];
    const confirmation = await queueKeywordAnswer(
      tx,
      reply.appointmentId,
      this.recipient(reply, holders),
      'opt_out_confirmation',
    );
    for (const patientId of subscribed) {
      await this.audit.record(
        tx,
        null,
        {
          action: 'patient.sms_opted_out',
          subjectType: 'patient',
          subjectId: patientId,
          clinicId: reply.clinicId,
          details: {
            via: 'sms',
            inboundMessageId: reply.id,
            cancelledReminders: cancelled.filter((r) => r.patient_id === patientId).length,
          },
        },
        reply.organisationId,
      );
    }
    const appointmentIds = [...new Set(cancelled.map((r) => r.appointment_id))];
    return {
      outcome: 'opted_out',
      afterCommit: async () => {
        await this.reminders.dispatch(appointmentIds);
        await this.reminders.dispatchRows([confirmation]);
      },
    };
  }

  /**
   * Opts the number back in: confirms it once and re-plans the reminders of its patients' future
   * booked or confirmed appointments, as a reschedule would (with the change grace).
   */
  async optIn(tx: EntityManager, reply: MatchedReply): Promise<ReplyEffect> {
    const holders = await this.lockHolders(tx, reply);
    if (holders.length === 0) return { outcome: 'number_not_on_file' };
    const optedOut = holders.filter((p) => p.sms_opted_out_at !== null).map((p) => p.id);
    if (optedOut.length === 0) return { outcome: 'already_opted_in' };
    await tx.query(`UPDATE patients SET sms_opted_out_at = NULL WHERE id = ANY($1::uuid[])`, [
      optedOut,
    ]);
    const confirmation = await queueKeywordAnswer(
      tx,
      reply.appointmentId,
      this.recipient(reply, holders),
      'opt_in_confirmation',
    );
    const upcoming = (await tx.query(
      `SELECT id, patient_id FROM appointments
        WHERE organisation_id = $1 AND patient_id = ANY($2::uuid[]) AND status IN ('booked', 'confirmed')
          AND starts_at > now()
        ORDER BY starts_at, id`,
      [reply.organisationId, optedOut],
    )) as { id: string; patient_id: string }[];
    for (const appointment of upcoming)
      await this.reminders.replan(tx, appointment.id, 'rescheduled');
    for (const patientId of optedOut) {
      await this.audit.record(
        tx,
        null,
        {
          action: 'patient.sms_opted_in',
          subjectType: 'patient',
          subjectId: patientId,
          clinicId: reply.clinicId,
          details: {
            via: 'sms',
            inboundMessageId: reply.id,
            replannedAppointments: upcoming.filter((a) => a.patient_id === patientId).length,
          },
        },
        reply.organisationId,
      );
    }
    const appointmentIds = upcoming.map((a) => a.id);
    return {
      outcome: 'opted_in',
      afterCommit: async () => {
        await this.reminders.dispatch(appointmentIds);
        await this.reminders.dispatchRows([confirmation]);
      },
    };
  }

  /** The organisation's patients with this number, locked so concurrent STOP/START queue up. */
  private lockHolders(tx: EntityManager, reply: MatchedReply): Promise<PhoneHolder[]> {
    return tx.query(
      `SELECT id, sms_opted_out_at FROM patients WHERE organisation_id = $1 AND phone = $2 ORDER BY id FOR UPDATE`,
      [reply.organisationId, reply.from],
    );
  }

  /** Who the confirmation is addressed to: the patient the reply answered, if the number is still theirs. */
  private recipient(reply: MatchedReply, holders: PhoneHolder[]): string {
    return holders.some((p) => p.id === reply.patientId) ? reply.patientId : holders[0]!.id;
  }
}
