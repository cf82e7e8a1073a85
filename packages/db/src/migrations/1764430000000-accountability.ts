import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `appointments.overridden_by` names the user who accepted a relative contraindication (the
 * clinician who signed the override), not the practitioner booked. Overrides are only given when
 * booking, so the booking user (`created_by`) is who overrode each existing row; down restores the
 * old (booked-practitioner) meaning.
 */
export class Accountability1764430000000 implements MigrationInterface {
  name = 'Accountability1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE appointments DROP CONSTRAINT appointments_overridden_by_organisation_id_fkey`,
    );
    await q.query(
      `UPDATE appointments SET overridden_by = created_by WHERE overridden_by IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE appointments ADD CONSTRAINT appointments_overridden_by_user_fkey
         FOREIGN KEY (overridden_by, organisation_id) REFERENCES users(id, organisation_id)`,
    );
    await q.query(
      `COMMENT ON COLUMN appointments.overridden_by IS 'the user (practitioner or supervisor) who accepted the screening override'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`COMMENT ON COLUMN appointments.overridden_by IS NULL`);
    await q.query(`ALTER TABLE appointments DROP CONSTRAINT appointments_overridden_by_user_fkey`);
    await q.query(
      `UPDATE appointments SET overridden_by = practitioner_id WHERE overridden_by IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE appointments ADD CONSTRAINT appointments_overridden_by_organisation_id_fkey
         FOREIGN KEY (overridden_by, organisation_id) REFERENCES practitioners(id, organisation_id)`,
    );
  }
}
