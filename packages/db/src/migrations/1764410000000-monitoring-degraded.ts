import { type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  monitoringDegradedDown,
  monitoringDegradedUp,
} from './1764410000000-monitoring-degraded/monitoring-degraded.sql';

/** Clinic-level `monitoring_degraded` alerts (technical): overload is never reported as devices offline. */
export class MonitoringDegraded1764410000000 implements MigrationInterface {
  name = 'MonitoringDegraded1764410000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of monitoringDegradedUp) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of monitoringDegradedDown) await q.query(sql);
  }
}
