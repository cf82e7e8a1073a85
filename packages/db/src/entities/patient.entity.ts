import { type ReminderChannel } from '@tautline/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A patient record: PHI. Never log its values or put them in job payloads; use the id. */
@Entity({ name: 'patients' })
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** Home clinic. */
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'given_name', type: 'text' })
  givenName!: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName!: string;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth!: string;

  /** E.164 (`+447700900123`), enforced by a CHECK constraint. */
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** The chosen channel must have its phone or email (CHECK patients_channel_reachable). */
  @Column({ name: 'preferred_channel', type: 'text' })
  preferredChannel!: ReminderChannel;

  /** IANA zone for the patient's reminders; defaults to the home clinic's. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
