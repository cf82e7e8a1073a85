import { type AppointmentStatus } from '@tautline/domain';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/** Names of the exclusion constraints that refuse double booking; the API maps them to its 409. */
export const APPOINTMENT_OVERLAP_CONSTRAINTS = {
  appointments_no_practitioner_overlap: 'practitioner',
  appointments_no_room_overlap: 'room',
  appointments_no_patient_overlap: 'patient',
} as const;
export type AppointmentOverlapResource =
  (typeof APPOINTMENT_OVERLAP_CONSTRAINTS)[keyof typeof APPOINTMENT_OVERLAP_CONSTRAINTS];

/**
 * A booking. Practitioner, room and patient time (buffers included) never overlaps between
 * rows that are not cancelled: PostgreSQL refuses it with SQLSTATE 23P01 and one of the
 * constraint names above (Key decision 2).
 */
@Entity({ name: 'appointments' })
export class AppointmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @Column({ name: 'practitioner_id', type: 'uuid' })
  practitionerId!: string;

  /** A room of the appointment's own clinic (composite foreign key). */
  @Column({ name: 'room_id', type: 'uuid' })
  roomId!: string;

  @Column({ name: 'appointment_type_id', type: 'uuid' })
  appointmentTypeId!: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  /** Copied from the appointment type at booking. */
  @Column({ name: 'buffer_before_minutes', type: 'integer' })
  bufferBeforeMinutes!: number;

  /** Copied from the appointment type at booking. */
  @Column({ name: 'buffer_after_minutes', type: 'integer' })
  bufferAfterMinutes!: number;

  /**
   * `[starts_at - buffer before, ends_at + buffer after)` as a `tstzrange` literal. Derived by a
   * database trigger on every insert and update; read-only here.
   */
  @Column({ type: 'tstzrange', insert: false, update: false })
  occupied!: string;

  @Column({ type: 'text', default: 'booked' })
  status!: AppointmentStatus;

  /** Optimistic locking: TypeORM bumps it on save; raw updates use `WHERE version = $seen`. */
  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'series_id', type: 'uuid', nullable: true })
  seriesId!: string | null;

  /** Set together with `overriddenBy` when a relative contraindication was accepted. */
  @Column({ name: 'screening_override_reason', type: 'text', nullable: true })
  screeningOverrideReason!: string | null;

  /** The user (practitioner or supervisor) who accepted the override; not the practitioner booked. */
  @Column({ name: 'overridden_by', type: 'uuid', nullable: true })
  overriddenBy!: string | null;

  /** Required exactly when the status is `cancelled`. */
  @Column({ name: 'cancelled_reason', type: 'text', nullable: true })
  cancelledReason!: string | null;

  /** The user who cancelled; null when the patient did, through a reminder link. */
  @Column({ name: 'cancelled_by', type: 'uuid', nullable: true })
  cancelledBy!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Also set by the trigger on every update, raw SQL included. */
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
