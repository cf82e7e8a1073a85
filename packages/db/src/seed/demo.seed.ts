import argon2 from 'argon2';
import { type DataSource } from 'typeorm';
import { DEMO_CLINICS, DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERS } from './demo-data';
import { seedDemoScheduling, type SeededScheduling } from './demo-scheduling.seed';

export interface SeededDemo extends SeededScheduling {
  organisationId: string;
  clinicIds: Record<string, string>;
  userIds: Record<string, string>;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/**
 * Writes the demo organisation and its scheduling data; safe to run again (upserts on natural
 * keys: slugs, emails, names; keeps ids).
 */
export async function seedDemo(ds: DataSource): Promise<SeededDemo> {
  return ds.transaction(async (tx) => {
    // One seed at a time per database: some demo rows are found by name, not by a unique key.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('tautline:seed-demo', 0))`);
    const [org] = await tx.query(
      `INSERT INTO organisations (slug, name) VALUES ($1, $2)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [DEMO_ORGANISATION.slug, DEMO_ORGANISATION.name],
    );
    const organisationId: string = org.id;

    const clinicIds: Record<string, string> = {};
    for (const c of DEMO_CLINICS) {
      const [row] = await tx.query(
        `INSERT INTO clinics (organisation_id, slug, name, time_zone, phone) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id, slug) DO UPDATE
           SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, phone = EXCLUDED.phone
         RETURNING id`,
        [organisationId, c.slug, c.name, c.timeZone, c.phone],
      );
      clinicIds[c.slug] = row.id;
    }

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const userIds: Record<string, string> = {};
    for (const u of DEMO_USERS) {
      // An existing demo user keeps its password hash: re-seeding must not log anybody out.
      const [row] = await tx.query(
        `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role
         RETURNING id`,
        [organisationId, u.email, u.name, u.role, passwordHash],
      );
      userIds[u.email] = row.id;
      const wanted = u.clinics.map((slug) => clinicIds[slug]);
      await tx.query(
        `DELETE FROM clinic_memberships WHERE user_id = $1 AND NOT (clinic_id = ANY($2::uuid[]))`,
        [row.id, wanted],
      );
      await tx.query(
        `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id)
         SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
        [row.id, wanted, organisationId],
      );
    }
    const scheduling = await seedDemoScheduling({ tx, organisationId, clinicIds, userIds });
    return { organisationId, clinicIds, userIds, ...scheduling };
  });
}
