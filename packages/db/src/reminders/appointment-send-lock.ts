import { type EntityManager, type QueryRunner } from 'typeorm';

/**
 * The one serialisation point between sending an appointment's reminders and changing the
 * appointment (issue 10 item 4). The sender holds this PostgreSQL advisory lock (session level)
 * across its last look at the appointment, the provider call and the write of `sent`; a change
 * that withdraws reminders takes the same lock (transaction level) before it reads their rows.
 * So a change either commits first (the sender then reads it and skips) or waits for the send in
 * flight and then sees the row `sent`, and says so. The key is the appointment id, hashed; a
 * collision only serialises two appointments a little more than needed.
 */
const LOCK_KEY = `hashtextextended('reminder-send:' || $1::text, 0)`;

/** Inside the caller's transaction: waits for a send in flight for the appointment, at most `waitMs`. */
export async function lockAppointmentSends(
  tx: EntityManager,
  appointmentId: string,
  waitMs: number,
): Promise<void> {
  // A send holds the lock for at most the provider timeout: wait that long even under a tighter pool
  // statement_timeout, then put the transaction's own settings back.
  const [saved] = (await tx.query(
    `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock`,
  )) as { statement: string; lock: string }[];
  await tx.query(
    `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true)`,
    [String(waitMs)],
  );
  await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, [appointmentId]);
  await tx.query(
    `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`,
    [saved?.statement ?? '0', saved?.lock ?? '0'],
  );
}

/**
 * On the sender's own connection, outside any transaction: takes the lock (waiting at most
 * `waitMs`, then throwing) and keeps it until `unlockAppointmentSends` or the session ends (a
 * crashed worker's connection drops, and PostgreSQL releases it).
 */
export async function lockAppointmentForSend(
  runner: QueryRunner,
  appointmentId: string,
  waitMs: number,
): Promise<void> {
  // Uncontended (nearly always): one round trip.
  const [fast] = (await runner.query(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS got`, [
    appointmentId,
  ])) as { got: boolean }[];
  if (fast?.got) return;
  await runner.startTransaction();
  try {
    await runner.query(
      `SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $1, true)`,
      [String(waitMs)],
    );
    // A session-level lock outlives the transaction it was taken in; only the timeouts are local.
    await runner.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [appointmentId]);
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  }
}

export async function unlockAppointmentSends(
  runner: QueryRunner,
  appointmentId: string,
): Promise<void> {
  await runner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [appointmentId]);
}
