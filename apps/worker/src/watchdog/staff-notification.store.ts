import { type DataSource, type EntityManager } from 'typeorm';

export interface NewStaffNotification {
  organisationId: string;
  clinicId: string;
  alertId: string;
  userId: string;
  destination: string;
  subject: string;
  body: string;
}

export interface ClaimedStaffNotification {
  id: string;
  organisation_id: string;
  clinic_id: string;
  destination: string;
  subject: string;
  body: string;
  created_at: Date;
}

/** Who hears about an escalated alert: the clinic's lead, else its first supervisor by name. */
export interface EscalationRecipient {
  id: string;
  email: string;
}

/**
 * Staff notifications move `scheduled → sending → sent | failed` by conditional updates only, as
 * reminders do, so of two watchdog ticks (or processes) racing for one, exactly one sends it; a
 * transient failure puts it back to `scheduled` for the next sweep. One row per alert (unique).
 */
export class StaffNotificationStore {
  constructor(private readonly db: DataSource) {}

  async recipient(tx: EntityManager, clinicId: string): Promise<EscalationRecipient | null> {
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

  /** The alert's notification, once: null when it already has one. */
  async create(tx: EntityManager, n: NewStaffNotification): Promise<string | null> {
    const [row] = (await tx.query(
      `INSERT INTO staff_notifications (organisation_id, clinic_id, alert_id, user_id, channel, destination, subject, body)
       VALUES ($1, $2, $3, $4, 'email', $5, $6, $7)
       ON CONFLICT (alert_id) DO NOTHING
       RETURNING id`,
      [n.organisationId, n.clinicId, n.alertId, n.userId, n.destination, n.subject, n.body],
    )) as { id: string }[];
    return row?.id ?? null;
  }

  async claim(id: string): Promise<ClaimedStaffNotification | null> {
    const [rows] = (await this.db.query(
      `UPDATE staff_notifications SET status = 'sending', attempts = attempts + 1, lease_until = now() + interval '60 seconds'
        WHERE id = $1 AND (status = 'scheduled' OR (status = 'sending' AND lease_until < now()))
       RETURNING id, organisation_id, clinic_id, destination, subject, body, created_at`,
      [id],
    )) as [ClaimedStaffNotification[], number];
    return rows[0] ?? null;
  }

  markSent(id: string, providerMessageId: string): Promise<boolean> {
    return this.finish(id, `status = 'sent', sent_at = now(), provider_message_id = $2, last_error = NULL`, [providerMessageId]);
  }

  markFailed(id: string, error: string): Promise<boolean> {
    return this.finish(id, `status = 'failed', last_error = $2`, [error.slice(0, 500)]);
  }

  /** A transient failure: back to `scheduled` for the next sweep. */
  release(id: string, error: string): Promise<boolean> {
    return this.finish(id, `status = 'scheduled', last_error = $2`, [error.slice(0, 500)]);
  }

  /** Rows a transient failure left behind (old enough not to be in someone's hands) or a crashed sender's, lease run out. */
  async pending(olderThanMs: number, limit = 50): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id FROM staff_notifications
        WHERE ((status = 'scheduled' AND created_at < now() - make_interval(secs => $1::double precision / 1000))
               OR (status = 'sending' AND lease_until < now()))
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  private async finish(id: string, set: string, params: unknown[]): Promise<boolean> {
    const [, count] = (await this.db.query(
      `UPDATE staff_notifications SET ${set}, lease_until = NULL WHERE id = $1 AND status = 'sending'`,
      [id, ...params],
    )) as [
      unknown,
      number,
    ];
    return count === 1;
  }
}
