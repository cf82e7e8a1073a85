import { type ConsentRecord } from '@tautline/domain';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Informed consent for one treatment, one version of the form. */
@Entity({ name: 'patient_consents' })
export class PatientConsentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'text' })
  kind!: ConsentRecord['kind'];

  /** `YYYY-MM-DD`. */
  @Column({ name: 'signed_on', type: 'date' })
  signedOn!: string;

  @Column({ type: 'text' })
  version!: string;
}

/** A contraindication on file, by its code in the domain catalogue. */
@Entity({ name: 'patient_contraindications' })
export class PatientContraindicationEntity {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'noted_on', type: 'date' })
  notedOn!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
