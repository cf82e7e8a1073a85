import {
  type AppointmentStatus,
  type OutboxPurpose,
  type ReminderChannel,
  type ReminderPurpose,
  ReminderPurpose as PatientPurpose,
} from '@tautline/domain';

/** A connection to run the store's statements on (the sender's own, holding the appointment's send lock). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** What every claimed outbox row carries, read fresh at send time. */
interface OutboxRow {
  id: string;
  organisation_id: string;
  clinic_id: string;
  purpose: OutboxPurpose;
  channel: ReminderChannel;
  attempts: number;
  clinic_name: string;
  clinic_phone: string | null;
  clinic_zone: string;
  /** The locale of the policy in force (clinic, else organisation); null: the built-in default. */
  policy_locale: string | null;
  /** An earlier attempt began a provider call and did not record its outcome (see decideRecovery). */
  send_started_at: Date | null;
  provider_message_id: string | null;
  /** Staff messages: written with the row (recipient's address and the rendered words). */
  destination: string | null;
  subject: string | null;
  body: string | null;
}

/** A patient message's appointment and patient, as they are now. */
interface PatientFields {
  appointment_id: string;
  appointment_starts_at: Date;
  appointment_status: AppointmentStatus;
  starts_at: Date;
  given_name: string;
  phone: string | null;
  email: string | null;
  sms_opted_out_at: Date | null;
  email_opted_out_at: Date | null;
}

/** A claimed row of any purpose: staff messages have no appointment or patient. */
export type ClaimedMessage = OutboxRow & { [K in keyof PatientFields]: PatientFields[K] | null };
/** A claimed message to a patient (reminder or keyword answer), appointment and patient present. */
export type ClaimedReminder = OutboxRow & PatientFields & { purpose: ReminderPurpose };

export function asPatientMessage(row: ClaimedMessage): ClaimedReminder | null {
  const patient = PatientPurpose.safeParse(row.purpose).success;
  const complete =
    row.appointment_id !== null &&
    row.appointment_starts_at !== null &&
    row.appointment_status !== null &&
    row.starts_at !== null &&
    row.given_name !== null;
  return patient && complete ? (row as ClaimedReminder) : null;
}

export type Claim =
  | { claimed: true; reminder: ClaimedMessage }
  /** Another worker holds it (its lease has not run out): try again later. */
  | { claimed: false; held: true }
  /** Already sent, skipped, failed or cancelled (or gone): nothing to do. */
  | { claimed: false; held: false; status: string | null };

/**
 * The row's state moves only by conditional updates (`WHERE status = …`), so of two workers
 * running the same job, or a retry after a crash, exactly one gets to send.
 */
export class ReminderStore {
  constructor(private readonly db: Queryable) {}

  /** The row's appointment (the send lock's key) and status, before claiming it. */
  async target(id: string): Promise<{ appointment_id: string | null; status: string } | undefined> {
    const [row] = (await this.db.query(
      `SELECT appointment_id, status FROM reminders WHERE id = $1`,
      [id],
    )) as {
      appointment_id: string | null;
      status: string;
    }[];
    return row;
  }

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
              r.send_started_at, r.provider_message_id, r.destination, r.subject, r.body,
              -- The policy in force, as effectivePolicy reads it, in the same round trip.
              (SELECT rp.policy->>'locale' FROM reminder_policies rp
                WHERE rp.organisation_id = r.organisation_id AND (rp.clinic_id = r.clinic_id OR rp.clinic_id IS NULL)
                ORDER BY rp.clinic_id NULLS LAST LIMIT 1) AS policy_locale
         FROM claimed r
         JOIN clinics c ON c.id = r.clinic_id
         -- Staff messages have neither.
         LEFT JOIN appointments a ON a.id = r.appointment_id
         LEFT JOIN patients p ON p.id = r.patient_id`,
      [id, leaseMs],
    )) as ClaimedMessage[];
    if (row) return { claimed: true, reminder: row };
    const [current] = (await this.db.query(
      `SELECT status, lease_until > now() AS held FROM reminders WHERE id = $1`,
      [id],
    )) as { status: string; held: boolean | null }[];
    if (current?.status === 'sending' && current.held) return { claimed: false, held: true };
    return { claimed: false, held: false, status: current?.status ?? null };
  }

  /** Written (and committed) just before the provider call: a crash after it leaves a trace to check. */
  async markCallStarted(id: string): Promise<boolean> {
    return this.update(id, `send_started_at = now(), updated_at = now()`, []);
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

  private finish(id: string, set: string, params: unknown[]): Promise<boolean> {
    return this.update(id, `${set}, lease_until = NULL, updated_at = now()`, params);
  }

  private async update(id: string, set: string, params: unknown[]): Promise<boolean> {
    const [, count] = (await this.db.query(
      `UPDATE reminders SET ${set} WHERE id = $1 AND status = 'sending'`,
      [id, ...params],
    )) as [unknown, number];
    return count === 1;
  }
}
