import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { appointmentsDown, appointmentsUp } from './1764100000000-scheduling/appointments.sql';
import { availabilityDown, availabilityUp } from './1764100000000-scheduling/availability.sql';
import { patientsDown, patientsUp } from './1764100000000-scheduling/patients.sql';
import { recordsDown, recordsUp } from './1764100000000-scheduling/records.sql';
import { resourcesDown, resourcesUp } from './1764100000000-scheduling/resources.sql';

/**
 * Scheduling: clinic resources, patients with screening, availability, appointments guarded by
 * exclusion constraints (btree_gist comes from the foundation migration), idempotency keys and
 * the audit trail. The SQL lives in the folder of the same name, one file per area.
 */
export class Scheduling1764100000000 implements MigrationInterface {
  name = 'Scheduling1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      ...resourcesUp,
      ...patientsUp,
      ...availabilityUp,
      ...appointmentsUp,
      ...recordsUp,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      ...recordsDown,
      ...appointmentsDown,
      ...availabilityDown,
      ...patientsDown,
      ...resourcesDown,
    ]) {
      await q.query(sql);
    }
  }
}
