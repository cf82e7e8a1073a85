import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import { decideRefresh, newSessionWindow, type Role } from '@tautline/domain';
import { PinoLogger } from 'nestjs-pino';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import { ENV } from '../config/config.module';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';
import { UserDirectory } from './user-directory.service';

export interface IssuedRefresh {
  token: string;
  /** The idle end: the cookie lives as long as the session may still be renewed. */
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

interface SessionRow {
  id: string;
  organisation_id: string;
  user_id: string;
  role: Role;
  family_id: string;
  last_used_at: Date | null;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  replaced_by: string | null;
}

type Rotation = { refused: string } | { user: AuthenticatedUser; refresh: IssuedRefresh };

type RevokeReason = 'logout' | 'reuse' | 'user_inactive' | 'role_changed' | 'expired';

const refused = (detail: string) => new Problem(HttpStatus.UNAUTHORIZED, 'Unauthorized', detail);
/** The same answer for every refused refresh but a superseded one: nothing to learn by probing. */
const SIGN_IN_AGAIN = 'the sign-in session has ended; sign in again';
/** The client may try once more: the cookie now holds the token another tab just received. */
export const SUPERSEDED = 'the refresh token was just renewed by another request';

const hash = (token: string) => createHash('sha256').update(token).digest();
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Refresh tokens: opaque 256-bit values, stored as sha256, rotated on every use. A row is read
 * `FOR UPDATE`, so two refreshes of one token run one after the other: the first rotates, the
 * second sees it replaced (within REFRESH_REUSE_GRACE_MS: "superseded", a 401 that keeps the
 * family; later: reuse of a stolen copy, and the whole family is revoked).
 */
@Injectable()
export class AuthSessions {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UserDirectory,
    private readonly audit: AuditService,
    private readonly logger: PinoLogger,
    @Inject(ENV) private readonly env: Env,
  ) {
    logger.setContext('auth-sessions');
  }

  private get idleMs(): number {
    return this.env.AUTH_IDLE_TIMEOUT_MINUTES * 60_000;
  }

  /** A new family at sign-in (audited as the sign-in). */
  async start(user: AuthenticatedUser, client: ClientInfo): Promise<IssuedRefresh> {
    const window = newSessionWindow(
      new Date(),
      this.idleMs,
      this.env.AUTH_SESSION_MAX_HOURS * 3_600_000,
    );
    return this.db.transaction(async (tx) => {
      const token = await this.insert(tx, user.organisationId, user.id, user.role, randomUUID(), {
        ...window,
        client,
      });
      await this.audit.record(tx, user, {
        action: 'auth.login',
        subjectType: 'user',
        subjectId: user.id,
      });
      return { token: token.token, ...window };
    });
  }

  /** Exchanges a refresh token for a new one and the current user, or answers 401. */
  async rotate(
    presented: string | undefined,
    client: ClientInfo,
  ): Promise<{ user: AuthenticatedUser; refresh: IssuedRefresh }> {
    if (!presented) throw refused('no sign-in session (refresh cookie) was presented');
    const outcome = await this.db.transaction(async (tx): Promise<Rotation> => {
      const [row]: SessionRow[] = await tx.query(
        `SELECT id, organisation_id, user_id, role, family_id, last_used_at, idle_expires_at,
                absolute_expires_at, revoked_at, replaced_by
           FROM auth_sessions WHERE token_hash = $1 FOR UPDATE`,
        [hash(presented)],
      );
      if (!row) return { refused: SIGN_IN_AGAIN };
      const now = new Date();
      const decision = decideRefresh(
        {
          revokedAt: row.revoked_at,
          replacedBy: row.replaced_by,
          lastUsedAt: row.last_used_at,
          idleExpiresAt: row.idle_expires_at,
          absoluteExpiresAt: row.absolute_expires_at,
        },
        now,
        this.idleMs,
      );
      if (decision.action === 'refuse')
        return { refused: decision.reason === 'superseded' ? SUPERSEDED : SIGN_IN_AGAIN };
      if (decision.action === 'expire') {
        await this.revokeFamily(tx, row.family_id, 'expired');
        return { refused: SIGN_IN_AGAIN };
      }
      if (decision.action === 'revoke-family') {
        await this.revokeFamily(tx, row.family_id, 'reuse');
        await this.audit.record(
          tx,
          null,
          {
            action: 'auth.refresh_reuse',
            subjectType: 'user',
            subjectId: row.user_id,
            outcome: 'denied',
            details: { familyId: row.family_id },
          },
          row.organisation_id,
        );
        this.logger.warn(
          { event: 'auth.refresh_reuse', userId: row.user_id, familyId: row.family_id },
          'a rotated refresh token was presented again: family revoked',
        );
        return { refused: SIGN_IN_AGAIN };
      }
      // Deactivated, moved, or a different role than at sign-in: the password is needed again.
      const user = await this.users.byId(row.user_id);
      if (!user || user.organisationId !== row.organisation_id || user.role !== row.role) {
        await this.revokeFamily(tx, row.family_id, user ? 'role_changed' : 'user_inactive');
        return { refused: SIGN_IN_AGAIN };
      }
      const next = await this.insert(
        tx,
        row.organisation_id,
        row.user_id,
        row.role,
        row.family_id,
        {
          idleExpiresAt: decision.idleExpiresAt,
          absoluteExpiresAt: decision.absoluteExpiresAt,
          client,
        },
      );
      await tx.query(`UPDATE auth_sessions SET replaced_by = $2, last_used_at = $3 WHERE id = $1`, [
        row.id,
        next.id,
        now,
      ]);
      return {
        user,
        refresh: {
          token: next.token,
          idleExpiresAt: decision.idleExpiresAt,
          absoluteExpiresAt: decision.absoluteExpiresAt,
        },
      };
    });
    if ('refused' in outcome) throw refused(outcome.refused);
    return outcome;
  }

  /** Ends the presented token's family (sign-out). Unknown or absent tokens are a no-op. */
  async end(presented: string | undefined): Promise<void> {
    if (!presented) return;
    await this.db.transaction(async (tx) => {
      const [row]: Pick<SessionRow, 'family_id' | 'user_id' | 'organisation_id'>[] = await tx.query(
        `SELECT family_id, user_id, organisation_id FROM auth_sessions WHERE token_hash = $1`,
        [hash(presented)],
      );
      if (!row) return;
      const ended = await this.revokeFamily(tx, row.family_id, 'logout');
      if (ended === 0) return;
      await this.audit.record(
        tx,
        null,
        { action: 'auth.logout', subjectType: 'user', subjectId: row.user_id },
        row.organisation_id,
      );
    });
  }

  private async insert(
    tx: EntityManager,
    organisationId: string,
    userId: string,
    role: Role,
    familyId: string,
    w: { idleExpiresAt: Date; absoluteExpiresAt: Date; client: ClientInfo },
  ): Promise<{ id: string; token: string }> {
    const token = newToken();
    const [{ id }]: [{ id: string }] = await tx.query(
      `INSERT INTO auth_sessions (organisation_id, user_id, role, token_hash, family_id,
                                  idle_expires_at, absolute_expires_at, user_agent, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        organisationId,
        userId,
        role,
        hash(token),
        familyId,
        w.idleExpiresAt,
        w.absoluteExpiresAt,
        w.client.userAgent?.slice(0, 512) ?? null,
        w.client.ip.slice(0, 64),
      ],
    );
    return { id, token };
  }

  private async revokeFamily(
    tx: EntityManager,
    familyId: string,
    reason: RevokeReason,
  ): Promise<number> {
    const [, count]: [unknown, number] = await tx.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = $2
        WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, reason],
    );
    return count;
  }
}
