import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'practitioners' })
export class PractitionerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** The practitioner's login, when they have one (unique: one practitioner per user). */
  @Column({ name: 'user_id', type: 'uuid', nullable: true, unique: true })
  userId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  /** Post-nominals as printed, e.g. "PT, DPT, CMTPT". */
  @Column({ type: 'text', default: '' })
  credentials!: string;

  /** Last day (`YYYY-MM-DD`, inclusive) the dry-needling certification is valid; null when none is held. */
  @Column({ name: 'dry_needling_cert_expires_on', type: 'date', nullable: true })
  dryNeedlingCertExpiresOn!: string | null;

  @Column({ name: 'estim_qualified', type: 'boolean', default: false })
  estimQualified!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
