/**
 * The reconciler's rule for one outbox row still to send (issue 10 item 8): every row ends `sent`,
 * `failed` (with a reason), `skipped` (with a reason) or `cancelled`, never pending for ever.
 */
export interface PendingOutboxRow {
  status: 'scheduled' | 'sending';
  /** `sending` rows: the holder's lease ran out (it crashed or hung). */
  leaseExpired: boolean;
  /** Claims so far (each claim is one attempt). */
  attempts: number;
  /** Due before now − REMINDER_OVERDUE_GRACE_MINUTES. */
  overdueBeyondGrace: boolean;
  /**
   * The row's BullMQ job: waiting, delayed or running (`live`); completed or failed for good
   * (`finished`: no worker will run it again); or gone (`missing`).
   */
  job: 'live' | 'finished' | 'missing';
}

export type ReconcileAction =
  /** Its job will run it: leave it. */
  | { action: 'keep' }
  /** Queue a fresh job (a finished one is removed first); the sender checks the provider before any resend. */
  | { action: 'requeue' }
  | { action: 'skip'; reason: 'missed' }
  | { action: 'fail'; reason: 'retries_exhausted' };

export function reconcileOutboxRow(row: PendingOutboxRow, maxAttempts: number): ReconcileAction {
  if (row.status === 'sending') {
    // Held by a live sender, or a crashed one whose job BullMQ will bring back.
    if (!row.leaseExpired || row.job === 'live') return { action: 'keep' };
    // The crashed attempt may have reached the provider: only the sender may decide (it asks first).
    return { action: 'requeue' };
  }
  if (row.overdueBeyondGrace) return { action: 'skip', reason: 'missed' };
  if (row.job === 'live') return { action: 'keep' };
  if (row.attempts >= maxAttempts) return { action: 'fail', reason: 'retries_exhausted' };
  return { action: 'requeue' };
}
