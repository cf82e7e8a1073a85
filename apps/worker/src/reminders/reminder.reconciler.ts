import { type Env } from '@tautline/config';
import { reconcileOutboxRow } from '@tautline/domain';
import {
  queueReminders,
  reminderJobId,
  type TypedQueue,
  withdrawReminders,
} from '@tautline/queues';
import { type Redis } from 'ioredis';
import { type DataSource } from 'typeorm';

export interface ReconcileReport {
  checked: number;
  requeued: number;
  missed: number;
  failed: number;
}

const PAGE = 2_000;

interface PendingRow {
  id: string;
  due_at: Date;
  status: 'scheduled' | 'sending';
  attempts: number;
  lease_expired: boolean;
  overdue: boolean;
}

/**
 * The database is the truth (Key decision 3): every row still to send must have a job that will
 * run it. Rows whose job is missing (lost with a crash between commit and enqueue, or with Redis'
 * data) or finished (failed for good, or completed while the row stayed pending) get a fresh job;
 * rows stuck in `sending` past their lease too (the sender asks the provider before resending).
 * Rows overdue beyond the grace end `skipped: missed`, rows whose attempts are used up
 * `failed: retries_exhausted` (`reconcileOutboxRow`). Safe to run anywhere, any time.
 */
export class ReminderReconciler {
  constructor(
    private readonly env: Env,
    private readonly db: DataSource,
    private readonly queue: TypedQueue<'reminders'>,
  ) {}

  async run(): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: 0, requeued: 0, missed: 0, failed: 0 };
    // BullMQ types its client loosely; it is the ioredis connection the queue was given.
    const client = (await this.queue.client) as unknown as Redis;
    let after: string | null = null;
    for (;;) {
      const rows = (await this.db.query(
        `SELECT id, due_at, status, attempts, coalesce(lease_until < now(), true) AS lease_expired,
                due_at < now() - make_interval(mins => $2) AS overdue
           FROM reminders
          WHERE (status = 'scheduled' OR (status = 'sending' AND lease_until < now()))
            AND ($1::uuid IS NULL OR id > $1::uuid)
          ORDER BY id LIMIT ${PAGE}`,
        [after, this.env.REMINDER_OVERDUE_GRACE_MINUTES],
      )) as PendingRow[];
      if (rows.length === 0) break;
      const pipeline = client.pipeline();
      for (const row of rows) {
        const key = this.queue.toKey(reminderJobId(row.id));
        pipeline.exists(key).hget(key, 'finishedOn');
      }
      const answers = (await pipeline.exec()) ?? [];
      const byAction = {
        requeue: [] as PendingRow[],
        finished: [] as string[],
        missed: [] as string[],
        failed: [] as string[],
      };
      rows.forEach((row, i) => {
        const exists = answers[i * 2]?.[1] === 1;
        const finished = exists && answers[i * 2 + 1]?.[1] != null;
        const job = !exists ? 'missing' : finished ? 'finished' : 'live';
        const decision = reconcileOutboxRow(
          {
            status: row.status,
            leaseExpired: row.lease_expired,
            attempts: row.attempts,
            overdueBeyondGrace: row.overdue,
            job,
          },
          this.env.REMINDER_SEND_ATTEMPTS,
        );
        if (decision.action === 'requeue') {
          byAction.requeue.push(row);
          if (job === 'finished') byAction.finished.push(row.id);
        } else if (decision.action === 'skip') byAction.missed.push(row.id);
        else if (decision.action === 'fail') byAction.failed.push(row.id);
      });
      report.missed += await this.end(byAction.missed, `status = 'skipped', reason = 'missed'`);
      report.failed += await this.end(
        byAction.failed,
        `status = 'failed', reason = 'retries_exhausted'`,
      );
      // A finished job keeps its id: it must go before the same id can be added again.
      await withdrawReminders(this.queue, byAction.finished);
      await queueReminders(
        this.queue,
        byAction.requeue.map((r) => ({ id: r.id, dueAt: r.due_at })),
        { attempts: this.env.REMINDER_SEND_ATTEMPTS, backoffMs: this.env.REMINDER_BACKOFF_MS },
      );
      report.checked += rows.length;
      report.requeued += byAction.requeue.length;
      after = rows[rows.length - 1]!.id;
      if (rows.length < PAGE) break;
    }
    return report;
  }

  /** Final states, by conditional update: a row a sender claimed meanwhile is left to it. */
  private async end(ids: string[], set: string): Promise<number> {
    if (ids.length === 0) return 0;
    const [, count] = (await this.db.query(
      `UPDATE reminders SET ${set}, updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [ids],
    )) as [unknown, number];
    return count;
  }
}
