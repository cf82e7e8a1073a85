import { type SchedulingWorld } from '@tautline/db';
import { type DataSource } from 'typeorm';

export interface ReminderRowInput {
  appointmentId: string;
  patient?: number;
  channel?: 'sms' | 'email';
  purpose?: 'reminder' | 'opt_out_confirmation' | 'opt_in_confirmation' | 'help';
  /** When it is due; default: now. */
  dueAt?: Date;
  /** The appointment start it was planned for; default: the appointment's own. */
  appointmentStartsAt?: Date;
}

/** Writes an outbox row as the API would, straight into PostgreSQL; answers its id. */
export async function insertReminderRow(
  ds: DataSource,
  w: SchedulingWorld,
  r: ReminderRowInput,
): Promise<string> {
  const [row] = (await ds.query(
    `INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, "offset", channel,
       appointment_starts_at, nominal_at, due_at, status)
     SELECT a.organisation_id, a.clinic_id, a.id, a.patient_id, $2, 'PT1H', $3, coalesce($5, a.starts_at), $4, $4, 'scheduled'
       FROM appointments a WHERE a.id = $1
     RETURNING id`,
    [
      r.appointmentId,
      r.purpose ?? 'reminder',
      r.channel ?? 'sms',
      r.dueAt ?? new Date(),
      r.appointmentStartsAt ?? null,
    ],
  )) as { id: string }[];
  if (!row) throw new Error(`no appointment ${r.appointmentId} in ${w.organisationId}`);
  return row.id;
}

export async function reminderRow(ds: DataSource, id: string) {
  const [row] = (await ds.query(
    `SELECT status, reason, attempts, destination, provider_message_id, last_error, sent_at FROM reminders WHERE id = $1`,
    [id],
  )) as {
    status: string;
    reason: string | null;
    attempts: number;
    destination: string | null;
    provider_message_id: string | null;
    last_error: string | null;
    sent_at: Date | null;
  }[];
  return row;
}

/** Polls until `check` holds (real queues take real time). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
