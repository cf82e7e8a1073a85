import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A weekly working interval in the clinic's local wall-clock time (Key decision 1): the
 * slot engine turns it into instants with the clinic's IANA zone, day by day.
 */
@Entity({ name: 'availability_rules' })
export class AvailabilityRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'practitioner_id', type: 'uuid' })
  practitionerId!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  /** ISO weekday, Monday = 1 … Sunday = 7. */
  @Column({ type: 'smallint' })
  weekday!: number;

  /** Local time; PostgreSQL answers `HH:mm:ss`. */
  @Column({ name: 'start_time', type: 'time' })
  startTime!: string;

  /** Local time, after `startTime`; PostgreSQL answers `HH:mm:ss`. */
  @Column({ name: 'end_time', type: 'time' })
  endTime!: string;

  /** `YYYY-MM-DD`, first local day the rule applies. */
  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;

  /** Last local day (inclusive); null while open-ended. */
  @Column({ name: 'effective_to', type: 'date', nullable: true })
  effectiveTo!: string | null;
}

export type AvailabilityExceptionKind = 'time_off' | 'extra_hours';

/** A one-off change to the weekly pattern, as real instants (`tstzrange`, e.g. `["…","…")`). */
@Entity({ name: 'availability_exceptions' })
export class AvailabilityExceptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'practitioner_id', type: 'uuid' })
  practitionerId!: string;

  /** Null: time off at every clinic. Required for extra hours. */
  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @Column({ type: 'text' })
  kind!: AvailabilityExceptionKind;

  /** Bounded, non-empty range of instants. */
  @Column({ type: 'tstzrange' })
  during!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}

/** The clinic is shut (bank holiday, burst pipe); a whole local day is stored as its instants. */
@Entity({ name: 'clinic_closures' })
export class ClinicClosureEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ type: 'tstzrange' })
  during!: string;

  @Column({ type: 'text' })
  reason!: string;
}
