import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who did what, when, where, with which outcome. No PHI: ids and codes only, never names,
 * phone numbers or notes (the details too).
 */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  /** bigserial; the pg driver answers it as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** A clinic of this organisation (composite foreign key); null for organisation-wide events. */
  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  /** Dotted code such as `appointment.created` or `patient.read`. */
  @Column({ type: 'text' })
  action!: string;

  /** e.g. `appointment`, `patient`. */
  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId!: string | null;

  /** Code such as `success`, `denied`, `conflict`. */
  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
