import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // btree_gist backs the booking exclusion constraints that later migrations add.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,80}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE clinics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9-]{1,80}$'),
        time_zone text NOT NULL,
        phone text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organisation_id, slug),
        UNIQUE (id, organisation_id)
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'scheduler', 'supervisor', 'practitioner')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (id, organisation_id)
      )`);
    await q.query(`
      CREATE TABLE clinic_memberships (
        user_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        PRIMARY KEY (user_id, clinic_id),
        FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE CASCADE,
        FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX clinic_memberships_clinic_idx ON clinic_memberships (clinic_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clinic_memberships`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE clinics`);
    await q.query(`DROP TABLE organisations`);
  }
}
