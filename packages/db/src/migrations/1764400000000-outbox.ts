import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { outboxDown, outboxUp } from './1764400000000-outbox/outbox.sql';

/** The outbox's record of provider calls started, for checking what a crashed send left behind. */
export class Outbox1764400000000 implements MigrationInterface {
  name = 'Outbox1764400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxUp) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxDown) await q.query(sql);
  }
}
