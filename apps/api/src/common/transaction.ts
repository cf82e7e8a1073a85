import { type DataSource, type EntityManager } from 'typeorm';
import { isRetryable } from './pg-errors';

/**
 * Runs `work` in one transaction, retrying a bounded number of times when PostgreSQL reports a
 * serialization failure or deadlock (the work is re-run from the start, so it must be pure I/O).
 */
export async function inTransaction<T>(
  db: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  {
    isolation = 'READ COMMITTED',
    attempts = 5,
  }: { isolation?: 'READ COMMITTED' | 'SERIALIZABLE'; attempts?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(isolation, work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      // Jittered back-off so the contenders do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
