import { type EntityManager } from 'typeorm';

/** Who hears about an escalated alert: the clinic's lead, else its first supervisor by name. */
export interface EscalationRecipient {
  id: string;
  email: string;
}

export interface EscalationMessage {
  organisationId: string;
  clinicId: string;
  alertId: string;
  recipient: EscalationRecipient;
  subject: string;
  body: string;
}

/**
 * An escalation email is a row of the one outbox (`reminders`, purpose `alert_escalation`):
 * written in the alert's transaction, sent by the reminder sender with its claim, lease, retries,
 * recovery and reconciler, through the same channels.
 */
export async function escalationRecipient(
  tx: EntityManager,
  clinicId: string,
): Promise<EscalationRecipient | null> {
  const [row] = (await tx.query(
    `SELECT u.id, u.email FROM clinics c
       JOIN users u ON u.organisation_id = c.organisation_id AND u.active
      WHERE c.id = $1
        AND (u.id = c.lead_user_id
             OR (u.role = 'supervisor' AND EXISTS (SELECT 1 FROM clinic_memberships m WHERE m.user_id = u.id AND m.clinic_id = c.id)))
      ORDER BY (u.id = c.lead_user_id) IS TRUE DESC, u.name, u.id
      LIMIT 1`,
    [clinicId],
  )) as EscalationRecipient[];
  return row ?? null;
}

/** The alert's escalation email, once: null when it already has one. Due at once. */
export async function insertEscalationMessage(
  tx: EntityManager,
  m: EscalationMessage,
): Promise<{ id: string; dueAt: Date } | null> {
  const [row] = (await tx.query(
    `INSERT INTO reminders (organisation_id, clinic_id, purpose, channel, due_at, status, recipient_user_id, alert_id,
       destination, subject, body)
     VALUES ($1, $2, 'alert_escalation', 'email', now(), 'scheduled', $3, $4, $5, $6, $7)
     ON CONFLICT (alert_id) WHERE purpose = 'alert_escalation' DO NOTHING
     RETURNING id, due_at`,
    [m.organisationId, m.clinicId, m.recipient.id, m.alertId, m.recipient.email, m.subject, m.body],
  )) as { id: string; due_at: Date }[];
  return row ? { id: row.id, dueAt: row.due_at } : null;
}
