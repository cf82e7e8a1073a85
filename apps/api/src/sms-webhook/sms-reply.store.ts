import {
  type InboundSmsAnswer,
  type ReminderPurpose,
  type SmsKeyword,
  type SmsReplyOutcome,
} from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';

/** A reply matched to the last reminder sent to its number. Text and phone are PHI: never logged. */
export interface MatchedReply {
  /** Our id of the inbound row, chosen up front so audit rows can name it. */
  id: string;
  messageId: string;
  from: string;
  text: string;
  receivedAt: string | null;
  keyword: SmsKeyword;
  organisationId: string;
  clinicId: string;
  patientId: string;
  appointmentId: string;
  reminderId: string;
}

/** Thrown inside a reply's transaction when the same provider message was stored meanwhile: rolls it all back. */
export class RedeliveredReply extends Error {
  constructor() {
    super('inbound message already stored');
    this.name = 'RedeliveredReply';
  }
}

/** The answer first given to a provider message id, if it was seen before. */
export async function storedAnswer(
  db: EntityManager,
  messageId: string,
): Promise<InboundSmsAnswer | undefined> {
  const [row] = (await db.query(
    `SELECT keyword, outcome FROM inbound_messages WHERE provider_message_id = $1`,
    [messageId],
  )) as { keyword: InboundSmsAnswer['keyword']; outcome: InboundSmsAnswer['outcome'] }[];
  return row ? { keyword: row.keyword, outcome: row.outcome } : undefined;
}

/** The last SMS sent to a number (any organisation): who the reply is from and what it answers. */
export async function matchNumber(
  db: EntityManager,
  phone: string,
): Promise<
  Omit<MatchedReply, 'id' | 'messageId' | 'from' | 'text' | 'receivedAt' | 'keyword'> | undefined
> {
  const [row] = (await db.query(
    `SELECT id, organisation_id, clinic_id, patient_id, appointment_id FROM reminders
      WHERE status = 'sent' AND channel = 'sms' AND destination = $1
      ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [phone],
  )) as {
    id: string;
    organisation_id: string;
    clinic_id: string;
    patient_id: string;
    appointment_id: string;
  }[];
  if (!row) return undefined;
  return {
    reminderId: row.id,
    organisationId: row.organisation_id,
    clinicId: row.clinic_id,
    patientId: row.patient_id,
    appointmentId: row.appointment_id,
  };
}

/**
 * Stores the reply with its outcome and audits it (ids and codes only). A concurrent delivery of the
 * same provider message that committed first makes this throw `RedeliveredReply`.
 */
export async function storeReply(
  tx: EntityManager,
  audit: AuditService,
  reply: MatchedReply,
  outcome: SmsReplyOutcome,
): Promise<void> {
  const rows = (await tx.query(
    `INSERT INTO inbound_messages (id, provider_message_id, organisation_id, clinic_id, patient_id, appointment_id,
       reminder_id, from_phone, body, keyword, outcome, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12::timestamptz, now()))
     ON CONFLICT (provider_message_id) DO NOTHING RETURNING id`,
    [
      reply.id,
      reply.messageId,
      reply.organisationId,
      reply.clinicId,
      reply.patientId,
      reply.appointmentId,
      reply.reminderId,
      reply.from,
      reply.text,
      reply.keyword,
      outcome,
      reply.receivedAt,
    ],
  )) as { id: string }[];
  if (rows.length === 0) throw new RedeliveredReply();
  await audit.record(
    tx,
    null,
    {
      action: 'sms.reply_received',
      subjectType: 'inbound_message',
      subjectId: reply.id,
      clinicId: reply.clinicId,
      details: {
        keyword: reply.keyword,
        outcome,
        patientId: reply.patientId,
        appointmentId: reply.appointmentId,
      },
    },
    reply.organisationId,
  );
}

/** A one-off SMS answer (opt-out / opt-in confirmation, help) for the worker to render and send now. */
export async function queueKeywordAnswer(
  tx: EntityManager,
  appointmentId: string,
  patientId: string,
  purpose: Exclude<ReminderPurpose, 'reminder'>,
): Promise<{ id: string; dueAt: Date }> {
  const [row] = (await tx.query(
    `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, channel,
       appointment_starts_at, due_at, status)
     SELECT a.organisation_id, a.clinic_id, a.id, $2, $3, 'sms', a.starts_at, now(), 'scheduled'
       FROM appointments a WHERE a.id = $1
     RETURNING id, due_at`,
    [appointmentId, patientId, purpose],
  )) as { id: string; due_at: Date }[];
  if (!row) throw new Error('the appointment of a matched reply is gone');
  return { id: row.id, dueAt: row.due_at };
}
