import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which clinics a user works in. Composite foreign keys keep user and clinic in one organisation. */
@Entity({ name: 'clinic_memberships' })
export class ClinicMembershipEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;
}
