import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A treatment room of one clinic. */
@Entity({ name: 'rooms' })
export class RoomEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** A working e-stim stimulator is installed; e-stim appointment types need one. */
  @Column({ name: 'has_stimulator', type: 'boolean', default: false })
  hasStimulator!: boolean;

  /** Inactive rooms are never offered; their history stays. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
