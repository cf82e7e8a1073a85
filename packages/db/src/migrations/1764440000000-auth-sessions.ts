import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Server-side sign-in sessions behind the refresh cookie. Only a sha256 of the opaque token is
 * stored. Every rotation inserts a row of the same `family_id` and points the old row at it
 * (`replaced_by`), so presenting a replaced token again is detected and ends the whole family.
 * `role` is the role at sign-in: a changed role refuses the refresh (the user signs in again).
 */
export class AuthSessions1764440000000 implements MigrationInterface {
  name = 'AuthSessions1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'scheduler', 'supervisor', 'practitioner')),
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        family_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        idle_expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason text CHECK (revoke_reason IN ('logout', 'reuse', 'user_inactive', 'role_changed', 'expired')),
        replaced_by uuid REFERENCES auth_sessions(id) ON DELETE SET NULL,
        user_agent text CHECK (length(user_agent) <= 512),
        ip text CHECK (length(ip) <= 64),
        FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE CASCADE,
        CHECK (idle_expires_at <= absolute_expires_at),
        CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX auth_sessions_family ON auth_sessions (family_id)`);
    await q.query(
      `CREATE INDEX auth_sessions_user_live ON auth_sessions (user_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_sessions`);
  }
}
