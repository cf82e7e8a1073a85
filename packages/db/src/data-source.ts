import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppointmentTypeEntity } from './entities/appointment-type.entity';
import { AppointmentEntity } from './entities/appointment.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import {
  AvailabilityExceptionEntity,
  AvailabilityRuleEntity,
  ClinicClosureEntity,
} from './entities/availability.entity';
import { ClinicMembershipEntity } from './entities/clinic-membership.entity';
import { ClinicEntity } from './entities/clinic.entity';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { OrganisationEntity } from './entities/organisation.entity';
import {
  PatientConsentEntity,
  PatientContraindicationEntity,
} from './entities/patient-screening.entity';
import { PatientEntity } from './entities/patient.entity';
import { PractitionerClinicEntity } from './entities/practitioner-clinic.entity';
import { PractitionerEntity } from './entities/practitioner.entity';
import { RoomEntity } from './entities/room.entity';
import { UserEntity } from './entities/user.entity';
import { Foundation1764000000000 } from './migrations/1764000000000-foundation';
import { Scheduling1764100000000 } from './migrations/1764100000000-scheduling';
import { Reminders1764200000000 } from './migrations/1764200000000-reminders';
import { Sessions1764300000000 } from './migrations/1764300000000-sessions';

export const ENTITIES = [
  OrganisationEntity,
  ClinicEntity,
  UserEntity,
  ClinicMembershipEntity,
  RoomEntity,
  PractitionerEntity,
  PractitionerClinicEntity,
  AppointmentTypeEntity,
  PatientEntity,
  PatientConsentEntity,
  PatientContraindicationEntity,
  AvailabilityRuleEntity,
  AvailabilityExceptionEntity,
  ClinicClosureEntity,
  AppointmentEntity,
  IdempotencyKeyEntity,
  AuditEventEntity,
];
/** Listed explicitly (not globbed) so the same list works from sources in tests and from dist. */
export const MIGRATIONS = [
  Foundation1764000000000,
  Scheduling1764100000000,
  Reminders1764200000000,
  Sessions1764300000000,
];

export interface DataSourceSettings {
  url: string;
  /** Connection pool size per process. */
  poolSize?: number;
  applicationName?: string;
}

export function dataSourceOptions(settings: DataSourceSettings) {
  return {
    type: 'postgres' as const,
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
    extra: {
      max: settings.poolSize ?? 10,
      application_name: settings.applicationName ?? 'tautline',
      // Fail fast instead of hanging when PostgreSQL is down (health checks rely on it).
      connectionTimeoutMillis: 5_000,
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
