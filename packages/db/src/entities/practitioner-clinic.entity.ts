import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The clinics a practitioner works at. Composite foreign keys keep both in one organisation. */
@Entity({ name: 'practitioner_clinics' })
export class PractitionerClinicEntity {
  @PrimaryColumn({ name: 'practitioner_id', type: 'uuid' })
  practitionerId!: string;

  @PrimaryColumn({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;
}
