import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What can be booked. Bookings copy the buffers, so editing a type never moves them. */
@Entity({ name: 'appointment_types' })
export class AppointmentTypeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** Unique within the organisation. */
  @Column({ type: 'text' })
  name!: string;

  /** 5 to 480. */
  @Column({ name: 'duration_minutes', type: 'integer' })
  durationMinutes!: number;

  /** 0 to 120. */
  @Column({ name: 'buffer_before_minutes', type: 'integer', default: 0 })
  bufferBeforeMinutes!: number;

  /** 0 to 120. */
  @Column({ name: 'buffer_after_minutes', type: 'integer', default: 0 })
  bufferAfterMinutes!: number;

  @Column({ name: 'requires_dry_needling_cert', type: 'boolean', default: true })
  requiresDryNeedlingCert!: boolean;

  /** Needs an e-stim qualified practitioner and a room with a stimulator; implies the certification. */
  @Column({ name: 'uses_estim', type: 'boolean', default: false })
  usesEstim!: boolean;

  /** `#rrggbb`. */
  @Column({ type: 'text' })
  colour!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
