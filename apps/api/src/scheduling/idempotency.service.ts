import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Problem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';

export interface Outcome<T> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * `Idempotency-Key`: the key row is inserted in the same transaction as the work, so the stored
 * answer and the booking commit together. A concurrent request with the same key waits on the
 * key's primary key and then reads the stored answer; a failed attempt leaves no key behind.
 * An attempt whose client gave up (a 503 after a database stall) may still commit later; a retry
 * then gets its answer, never a 409 against its own booking.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  static fingerprint(method: string, path: string, body: unknown): string {
    return createHash('sha256')
      .update(`${method} ${path} ${JSON.stringify(body)}`)
      .digest('hex');
  }

  /**
   * `prepare` does the reads and checks outside any transaction (holding a connection while
   * waiting for another would starve the pool under load) and returns the write to run inside it.
   */
  async run<T>(
    user: AuthenticatedUser,
    key: string | undefined,
    fingerprint: string,
    prepare: () => Promise<(tx: EntityManager) => Promise<{ status: number; body: T }>>,
  ): Promise<Outcome<T>> {
    if (key === undefined) {
      const work = await prepare();
      const result = await inTransaction(this.db, work);
      return { ...result, replayed: false };
    }
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new Problem(
        HttpStatus.BAD_REQUEST,
        'Invalid request',
        'Idempotency-Key must be 1–255 visible ASCII characters',
        [{ field: 'header.idempotency-key', message: 'must be 1–255 visible ASCII characters' }],
      );
    }
    // A retry of a finished request is answered before re-checking anything (its own booking would clash).
    const earlier = await this.stored<T>(this.db.manager, user.organisationId, key);
    if (earlier) return this.replay(earlier, fingerprint);
    let work: (tx: EntityManager) => Promise<{ status: number; body: T }>;
    try {
      work = await prepare();
    } catch (error) {
      // An earlier attempt (the client timed out waiting for it) may have committed since the look
      // above: then its own booking is what the checks clash with, and its answer is this one's.
      const since =
        error instanceof Problem &&
        (await this.stored<T>(this.db.manager, user.organisationId, key));
      if (since) return this.replay(since, fingerprint);
      throw error;
    }
    return inTransaction(this.db, async (tx) => {
      const claimed: unknown[] = await tx.query(
        `INSERT INTO idempotency_keys (organisation_id, key, user_id, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING key`,
        [user.organisationId, key, user.id, fingerprint],
      );
      if (claimed.length === 0) {
        const [stored] = (await tx.query(
          `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE organisation_id = $1 AND key = $2`,
          [user.organisationId, key],
        )) as { request_hash: string; response_status: number; response_body: T }[];
        if (!stored || stored.request_hash !== fingerprint) {
          throw new Problem(
            HttpStatus.CONFLICT,
            'Conflict',
            'this Idempotency-Key was already used for a different request',
            [{ field: 'header.idempotency-key', message: 'already used for a different request' }],
          );
        }
        return { status: stored.response_status, body: stored.response_body, replayed: true };
      }
      const result = await work(tx);
      // Only a success is remembered: a refused request may be retried once the obstacle is gone.
      if (result.status < 300) {
        await tx.query(
          `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE organisation_id = $1 AND key = $2`,
          [user.organisationId, key, result.status, JSON.stringify(result.body)],
        );
      } else {
        await tx.query(`DELETE FROM idempotency_keys WHERE organisation_id = $1 AND key = $2`, [
          user.organisationId,
          key,
        ]);
      }
      return { ...result, replayed: false };
    });
  }

  private async stored<T>(
    manager: EntityManager,
    organisationId: string,
    key: string,
  ): Promise<StoredAnswer<T> | undefined> {
    const rows = (await manager.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys
        WHERE organisation_id = $1 AND key = $2 AND response_status IS NOT NULL`,
      [organisationId, key],
    )) as StoredAnswer<T>[];
    return rows[0];
  }

  private replay<T>(stored: StoredAnswer<T>, fingerprint: string): Outcome<T> {
    if (stored.request_hash !== fingerprint) {
      throw new Problem(
        HttpStatus.CONFLICT,
        'Conflict',
        'this Idempotency-Key was already used for a different request',
        [{ field: 'header.idempotency-key', message: 'already used for a different request' }],
      );
    }
    return { status: stored.response_status, body: stored.response_body, replayed: true };
  }
}

interface StoredAnswer<T> {
  request_hash: string;
  response_status: number;
  response_body: T;
}
