import type { TypedQueue } from './queue-factory';

/** A row of the `reminders` outbox that should have a delayed job. */
export interface ReminderToQueue {
  id: string;
  dueAt: Date;
}

export interface ReminderJobSettings {
  attempts: number;
  backoffMs: number;
}

/** Identifies a reminder's job: BullMQ ignores an add whose job id already exists. */
export const reminderJobId = (reminderId: string): string => `reminder-${reminderId}`;

/**
 * Adds one delayed `reminder.send` job per row (job id from the row id), due at the row's time.
 * Used by the API after a booking commits and by the worker's reconciler: adding a job that
 * already exists is a no-op, so either may run it as often as it likes.
 */
export async function queueReminders(
  queue: TypedQueue<'reminders'>,
  rows: readonly ReminderToQueue[],
  settings: ReminderJobSettings,
  now = Date.now(),
): Promise<void> {
  if (rows.length === 0) return;
  await queue.addBulk(
    rows.map((row) => ({
      name: 'reminder.send' as const,
      data: { reminderId: row.id },
      opts: {
        jobId: reminderJobId(row.id),
        delay: Math.max(0, row.dueAt.getTime() - now),
        attempts: settings.attempts,
        backoff: { type: 'exponential', delay: settings.backoffMs },
        // The row keeps the history; Redis only needs the job until it is done.
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3_600 },
      },
    })),
  );
}

/** Withdraws the jobs of rows a change cancelled; a job already running re-reads its row and stops. */
export async function withdrawReminders(
  queue: TypedQueue<'reminders'>,
  ids: readonly string[],
): Promise<void> {
  await Promise.all(ids.map((id) => queue.remove(reminderJobId(id)).catch(() => 0)));
}
