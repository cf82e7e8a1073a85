import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { sessionsDown, sessionsUp } from './1764300000000-sessions/sessions.sql';

/** Live e-stim sessions: devices, treatment sessions, telemetry, alerts, thresholds, escalation notices. */
export class Sessions1764300000000 implements MigrationInterface {
  name = 'Sessions1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of sessionsUp) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of sessionsDown) await q.query(sql);
  }
}
