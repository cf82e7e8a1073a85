import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { remindersDown, remindersUp } from './1764200000000-reminders/reminders.sql';

/** Reminders: policies, the outbox rows, the log channel's store, inbound replies and opt-outs. */
export class Reminders1764200000000 implements MigrationInterface {
  name = 'Reminders1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of remindersUp) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of remindersDown) await q.query(sql);
  }
}
