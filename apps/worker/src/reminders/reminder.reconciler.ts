import { type Env } from '@tautline/config';
import { queueReminders, reminderJobId, type TypedQueue } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { type DataSource } from 'typeorm';

export interface ReconcileReport {
  checked: number;
  requeued: number;
  missed: number;
}

const PAGE = 2_000;

/**
 * The database is the truth (Key decision 3): every row still to send must have a job. Finds
 * rows due in the future or overdue within the grace window whose job is missing from Redis
 * (lost with a crash between commit and enqueue, or with Redis' data) and queues them again.
 * Rows overdue beyond the grace are marked `skipped: missed` instead: a reminder hours late
 * helps nobody. Safe to run anywhere, any time: adding an existing job id is a no-op.
 */
export class ReminderReconciler {
  constructor(
    private readonly env: Env,
    private readonly db: DataSource,
    private readonly queue: TypedQueue<'reminders'>,
  ) {}

  async run(): Promise<ReconcileReport> {
    const [, missed] = (await this.db.query(
      `UPDATE reminders SET status = 'skipped', reason = 'missed', updated_at = now()
        WHERE status = 'scheduled' AND due_at < now() - make_interval(mins => $1)`,
      [this.env.REMINDER_OVERDUE_GRACE_MINUTES],
    )) as [unknown, number];
    const report: ReconcileReport = { checked: 0, requeued: 0, missed };
    // BullMQ types its client loosely; it is the ioredis connection the queue was given.
    const client = (await this.queue.client) as unknown as Redis;
    let after: string | null = null;
    for (;;) {
      const rows = (await this.db.query(
        `SELECT id, due_at FROM reminders
          WHERE (status = 'scheduled' OR (status = 'sending' AND lease_until < now()))
            AND ($1::uuid IS NULL OR id > $1::uuid)
          ORDER BY id LIMIT ${PAGE}`,
        [after],
      )) as { id: string; due_at: Date }[];
      if (rows.length === 0) break;
      const pipeline = client.pipeline();
      for (const row of rows) pipeline.exists(this.queue.toKey(reminderJobId(row.id)));
      const exists = (await pipeline.exec()) ?? [];
      const missing = rows.filter((_, i) => exists[i]?.[1] !== 1);
      await queueReminders(
        this.queue,
        missing.map((r) => ({ id: r.id, dueAt: r.due_at })),
        { attempts: this.env.REMINDER_SEND_ATTEMPTS, backoffMs: this.env.REMINDER_BACKOFF_MS },
      );
      report.checked += rows.length;
      report.requeued += missing.length;
      after = rows[rows.length - 1]!.id;
      if (rows.length < PAGE) break;
    }
    return report;
  }
}
