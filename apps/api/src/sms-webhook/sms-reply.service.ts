import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Appointment,
  canRequestReschedule,
  type InboundSmsAnswer,
  type InboundSmsWebhook,
  parseSmsKeyword,
  smsConfirmDecision,
  type SmsReplyOutcome,
} from '@tautline/domain';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { ReminderOutboxService } from '../reminders/reminder-outbox.service';
import {
  APPOINTMENT_COLUMNS,
  type AppointmentRow,
  toAppointment,
} from '../scheduling/appointment.row';
import { AppointmentsRepository } from '../scheduling/appointments.repository';
import { BookingService } from '../scheduling/booking.service';
import { type PatientActor, TenantScope } from '../tenancy/tenant-scope';
import {
  type MatchedReply,
  matchNumber,
  queueKeywordAnswer,
  RedeliveredReply,
  storedAnswer,
  storeReply,
} from './sms-reply.store';
import { HelpReplyLimiter } from './help-reply.limiter';
import { type ReplyEffect, SmsSubscriptionService } from './sms-subscription.service';

/**
 * A patient's reply to a reminder text: matched to the last SMS sent to the number, read for its
 * keyword, acted on as the patient, stored once per provider message id. Logs carry ids and codes only.
 */
@Injectable()
export class SmsReplyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly booking: BookingService,
    private readonly appointments: AppointmentsRepository,
    private readonly subscriptions: SmsSubscriptionService,
    private readonly reminders: ReminderOutboxService,
    private readonly audit: AuditService,
    private readonly logger: PinoLogger,
    private readonly helpLimiter: HelpReplyLimiter,
  ) {
    logger.setContext('sms-webhook');
  }

  async receive(message: InboundSmsWebhook): Promise<InboundSmsAnswer> {
    const earlier = await storedAnswer(this.db.manager, message.messageId);
    if (earlier) return this.redelivered(earlier);
    const match = await matchNumber(this.db.manager, message.from);
    if (!match) {
      this.logger.info({ event: 'sms.reply_unmatched' }, 'SMS reply from a number we never texted');
      throw new Problem(
        HttpStatus.NOT_FOUND,
        'Not found',
        'unknown number: no reminder was sent to it',
      );
    }
    const reply: MatchedReply = {
      ...match,
      id: randomUUID(),
      messageId: message.messageId,
      from: message.from,
      text: message.text,
      receivedAt: message.receivedAt ?? null,
      keyword: parseSmsKeyword(message.text),
    };
    let answer: InboundSmsAnswer;
    try {
      answer = await this.act(reply);
    } catch (error) {
      if (!(error instanceof RedeliveredReply)) throw error;
      // A concurrent delivery of the same message committed first; its outcome is the answer.
      const first = await storedAnswer(this.db.manager, reply.messageId);
      if (!first) throw error;
      return this.redelivered(first);
    }
    this.logger.info(
      {
        event: 'sms.reply',
        inboundMessageId: reply.id,
        keyword: answer.keyword,
        outcome: answer.outcome,
        clinicId: reply.clinicId,
        appointmentId: reply.appointmentId,
      },
      'SMS reply handled',
    );
    return answer;
  }

  private act(reply: MatchedReply): Promise<InboundSmsAnswer> {
    switch (reply.keyword) {
      case 'confirm':
        return this.confirm(reply);
      case 'reschedule':
        return this.once(reply, (tx) => this.requestReschedule(tx, reply));
      case 'opt_out':
        return this.once(reply, (tx) => this.subscriptions.optOut(tx, reply));
      case 'opt_in':
        return this.once(reply, (tx) => this.subscriptions.optIn(tx, reply));
      case 'help':
        return this.once(reply, (tx) => this.help(tx, reply));
      case 'unknown':
        return this.once(reply, async () => ({ outcome: 'unrecognised' }));
    }
  }

  /**
   * "C" goes through the same state change as the confirm button, in its own transaction (which
   * audits it and tells the clinic live); the reply is stored after it.
   */
  private async confirm(reply: MatchedReply): Promise<InboundSmsAnswer> {
    const scope = this.scopeOf(reply);
    const decide = async (): Promise<ReturnType<typeof smsConfirmDecision>> => {
      const row = await this.appointments.find(scope, reply.appointmentId);
      if (!row) return 'not_confirmable';
      return smsConfirmDecision(
        { status: row.status, start: row.starts_at.toISOString() },
        new Date().toISOString(),
      );
    };
    let outcome: SmsReplyOutcome;
    const decision = await decide();
    if (decision === 'confirm') {
      try {
        await this.booking.changeStatus(scope, this.actorOf(reply), reply.appointmentId, 'confirm');
        outcome = 'confirmed';
      } catch (error) {
        // Changed meanwhile (confirmed by the clinic, cancelled): say what it is now.
        if (!(error instanceof Problem) || error.getStatus() !== HttpStatus.CONFLICT) throw error;
        const now = await decide();
        outcome = now === 'confirm' ? 'not_confirmable' : now;
      }
    } else {
      outcome = decision;
    }
    return this.once(reply, async () => ({ outcome }));
  }

  /** "R": flags the appointment for the clinic to offer another time, and tells the clinic live. */
  private async requestReschedule(tx: EntityManager, reply: MatchedReply): Promise<ReplyEffect> {
    const current = await this.appointments.find(
      this.scopeOf(reply),
      reply.appointmentId,
      tx,
      true,
    );
    if (
      !current ||
      !canRequestReschedule(
        { status: current.status, start: current.starts_at.toISOString() },
        new Date().toISOString(),
      )
    )
      return { outcome: 'not_reschedulable' };
    const [rows] = (await tx.query(
      `UPDATE appointments AS a SET reschedule_requested_at = now(), version = version + 1
        WHERE a.id = $1 RETURNING ${APPOINTMENT_COLUMNS}`,
      [reply.appointmentId],
    )) as [AppointmentRow[], number];
    const appointment: Appointment = toAppointment(rows[0]!);
    await this.audit.record(
      tx,
      null,
      {
        action: 'appointment.reschedule_requested',
        subjectType: 'appointment',
        subjectId: reply.appointmentId,
        clinicId: reply.clinicId,
        details: { actor: 'patient', via: 'sms', inboundMessageId: reply.id },
      },
      reply.organisationId,
    );
    return {
      outcome: 'reschedule_requested',
      afterCommit: async () => this.booking.announce('reschedule_requested', appointment),
    };
  }

  /** "HELP": one answer with the program name and the clinic's number (the worker renders it), at most one per interval. */
  private async help(tx: EntityManager, reply: MatchedReply): Promise<ReplyEffect> {
    if (!(await this.helpLimiter.claim(reply.from, reply.messageId)))
      return { outcome: 'help_recently_sent' };
    const answer = await queueKeywordAnswer(tx, reply.appointmentId, reply.patientId, 'help');
    return { outcome: 'help_queued', afterCommit: () => this.reminders.dispatchRows([answer]) };
  }

  /**
   * Runs a keyword's work and stores the reply in one transaction; follow-ups (jobs, live events)
   * run only after it commits. A same-id delivery that committed first rolls this one back.
   */
  private async once(
    reply: MatchedReply,
    work: (tx: EntityManager) => Promise<ReplyEffect>,
  ): Promise<InboundSmsAnswer> {
    const effect = await inTransaction(this.db, async (tx) => {
      const done = await work(tx);
      await storeReply(tx, this.audit, reply, done.outcome);
      return done;
    });
    await effect.afterCommit?.();
    return { keyword: reply.keyword, outcome: effect.outcome };
  }

  private redelivered(answer: InboundSmsAnswer): InboundSmsAnswer {
    this.logger.info({ event: 'sms.reply_redelivered', ...answer }, 'SMS reply already handled');
    return answer;
  }

  private scopeOf(reply: MatchedReply): TenantScope {
    return new TenantScope(reply.organisationId, [reply.clinicId]);
  }

  private actorOf(reply: MatchedReply): PatientActor {
    return { kind: 'patient', patientId: reply.patientId, organisationId: reply.organisationId };
  }
}
