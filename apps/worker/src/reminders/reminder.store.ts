import {
  type AppointmentStatus,
  type ReminderChannel,
  type ReminderPurpose,
} from '@tautline/domain';
import { type DataSource } from 'typeorm';

/** Everything the sender needs about one claimed row, read fresh at send time. */
export interface ClaimedReminder {
  id: string;
  organisation_id: string;
  clinic_id: string;
  appointment_id: string;
  purpose: ReminderPurpose;
  channel: ReminderChannel;
  appointment_starts_at: Date;
  attempts: number;
  appointment_status: AppointmentStatus;
  starts_at: Date;
  clinic_name: string;
  clinic_phone: string | null;
  clinic_zone: string;
  given_name: string;
  phone: string | null;
  email: string | null;
  sms_opted_out_at: Date | null;
  email_opted_out_at: Date | null;
  /** The locale of the policy in force (clinic, else organisation); null: the built-in default. */
  policy_locale: string | null;
}

export type Claim =
  | { claimed: true; reminder: ClaimedReminder }
  /** Another worker holds it (its lease has not run out): try again later. */
  | { claimed: false; held: true }
  /** Already sent, skipped, failed or cancelled (or gone): nothing to do. */
  | { claimed: false; held: false; status: string | null };

/**
 * The row's state moves only by conditional updates (`WHERE status = …`), so of two workers
 * running the same job, or a retry after a crash, exactly one gets to send.
 */
export class ReminderStore {
  constructor(private readonly db: DataSource) {}

  /** `scheduled → sending`, or takes over a `sending` row whose holder's lease ran out (it crashed). */
  async claim(id: string, leaseMs: number): Promise<Claim> {
    const [row] = (await this.db.query(
      `WITH claimed AS (
         UPDATE reminders SET status = 'sending', attempts = attempts + 1, updated_at = now(),
                lease_until = now() + make_interval(secs => $2::double precision / 1000)
          WHERE id = $1 AND (status = 'scheduled' OR (status = 'sending' AND lease_until < now()))
          RETURNING *)
       SELECT r.id, r.organisation_id, r.clinic_id, r.appointment_id, r.purpose, r.channel, r.appointment_starts_at,
              r.attempts, a.status AS appointment_status, a.starts_at, c.name AS clinic_name, c.phone AS clinic_phone,
              c.time_zone AS clinic_zone, p.given_name, p.phone, p.email, p.sms_opted_out_at, p.email_opted_out_at,
              -- The policy in force, as effectivePolicy reads it, in the same round trip.
              (SELECT rp.policy->>'locale' FROM reminder_policies rp
                WHERE rp.organisation_id = r.organisation_id AND (rp.clinic_id = r.clinic_id OR rp.clinic_id IS NULL)
                ORDER BY rp.clinic_id NULLS LAST LIMIT 1) AS policy_locale
         FROM claimed r
         JOIN appointments a ON a.id = r.appointment_id
         JOIN clinics c ON c.id = r.clinic_id
         JOIN patients p ON p.id = r.patient_id`,
      [id, leaseMs],
    )) as ClaimedReminder[];
    if (row) return { claimed: true, reminder: row };
    const [current] = (await this.db.query(
      `SELECT status, lease_until > now() AS held FROM reminders WHERE id = $1`,
      [id],
    )) as { status: string; held: boolean | null }[];
    if (current?.status === 'sending' && current.held) return { claimed: false, held: true };
    return { claimed: false, held: false, status: current?.status ?? null };
  }

  async markSent(id: string, to: string, providerMessageId: string): Promise<boolean> {
    return this.finish(
      id,
      `status = 'sent', sent_at = now(), destination = $2, provider_message_id = $3, last_error = NULL`,
      [to, providerMessageId],
    );
  }

  async markSkipped(id: string, reason: string): Promise<boolean> {
    return this.finish(id, `status = 'skipped', reason = $2`, [reason]);
  }

  async markFailed(id: string, reason: string, error: string): Promise<boolean> {
    return this.finish(id, `status = 'failed', reason = $2, last_error = $3`, [
      reason,
      error.slice(0, 500),
    ]);
  }

  /** A transient failure: back to `scheduled` for BullMQ's retry (or the reconciler's). */
  async release(id: string, error: string): Promise<boolean> {
    return this.finish(id, `status = 'scheduled', last_error = $2`, [error.slice(0, 500)]);
  }

  private async finish(id: string, set: string, params: unknown[]): Promise<boolean> {
    const [, count] = (await this.db.query(
      `UPDATE reminders SET ${set}, lease_until = NULL, updated_at = now() WHERE id = $1 AND status = 'sending'`,
      [id, ...params],
    )) as [unknown, number];
    return count === 1;
  }
}
