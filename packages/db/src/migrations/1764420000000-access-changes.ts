import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every change to what a user may see (role, active, organisation, clinic memberships) NOTIFYs
 * `access_changed` with the user's id, whatever made it: the API, a script or psql. NOTIFY is
 * transactional (sent at commit, dropped on rollback), so a listener re-reading access sees the change.
 */
export class AccessChanges1764420000000 implements MigrationInterface {
  name = 'AccessChanges1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_user_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('access_changed', json_build_object('userId', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION notify_membership_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM pg_notify('access_changed', json_build_object('userId', OLD.user_id)::text);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          PERFORM pg_notify('access_changed', json_build_object('userId', NEW.user_id)::text);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_access_changed AFTER UPDATE OF role, active, organisation_id ON users
        FOR EACH ROW
        WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
        EXECUTE FUNCTION notify_user_access_changed()`);
    await q.query(
      `CREATE TRIGGER users_access_removed AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_user_access_changed()`,
    );
    await q.query(`
      CREATE TRIGGER clinic_memberships_access_changed AFTER INSERT OR UPDATE OR DELETE ON clinic_memberships
        FOR EACH ROW EXECUTE FUNCTION notify_membership_access_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER clinic_memberships_access_changed ON clinic_memberships`);
    await q.query(`DROP TRIGGER users_access_removed ON users`);
    await q.query(`DROP TRIGGER users_access_changed ON users`);
    await q.query(`DROP FUNCTION notify_membership_access_changed()`);
    await q.query(`DROP FUNCTION notify_user_access_changed()`);
  }
}
