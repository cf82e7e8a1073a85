import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One `Idempotency-Key` per organisation: the same key with the same request hash replays the
 * stored answer; with another hash it is a 409. Insert the row first (the primary key makes
 * concurrent retries wait), then fill in the response.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  /** Null while the first request is still being handled. */
  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
