import 'reflect-metadata';
import { type Env } from '@tautline/config';
import { Client, type ClientConfig } from 'pg';
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
import { Outbox1764400000000 } from './migrations/1764400000000-outbox';
import { AccessChanges1764420000000 } from './migrations/1764420000000-access-changes';
import { MonitoringDegraded1764410000000 } from './migrations/1764410000000-monitoring-degraded';
import { Accountability1764430000000 } from './migrations/1764430000000-accountability';
import { AuthSessions1764440000000 } from './migrations/1764440000000-auth-sessions';
import { Alarms1764450000000 } from './migrations/1764450000000-alarms';

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
  Outbox1764400000000,
  MonitoringDegraded1764410000000,
  AccessChanges1764420000000,
  Accountability1764430000000,
  AuthSessions1764440000000,
  Alarms1764450000000,
];

export interface DataSourceSettings {
  url: string;
  /** Connection pool size per process. */
  poolSize?: number;
  applicationName?: string;
  /**
   * Bounds for a serving process (api, worker): see `DatabaseTimeouts`. Without them (migrations,
   * seed, tests' own pools) statements may run as long as they need; connecting still fails after 5 s.
   */
  timeouts?: DatabaseTimeouts;
}

/** How long a pooled connection may take for each step; every one is in milliseconds. */
export interface DatabaseTimeouts {
  /** Opening a connection (TCP + start-up). */
  connectMs: number;
  /** Server side: PostgreSQL cancels a statement running longer (SQLSTATE 57014). */
  statementMs: number;
  /**
   * Client side: give up on a query whose answer never arrives (a partition: the server cannot
   * even send its cancellation). The connection is then dropped, never reused half-way through.
   */
  queryMs: number;
  /** Server side: a session idle inside a transaction this long is ended, releasing its locks. */
  idleInTransactionMs: number;
}

/** The serving processes' bounds from the environment (the schema checks how they relate). */
export function databaseTimeouts(env: Env): DatabaseTimeouts {
  return {
    connectMs: env.DB_CONNECT_TIMEOUT_MS,
    statementMs: env.DB_STATEMENT_TIMEOUT_MS,
    queryMs: env.DB_QUERY_TIMEOUT_MS,
    idleInTransactionMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

const READ_TIMEOUT = 'Query read timeout';

/**
 * pg's `query_timeout` rejects the query but keeps the connection, which still waits for that
 * answer: the ROLLBACK that follows would wait as long again, and the pool would hand the stuck
 * connection to the next request. Dropping the socket fails both at once and the pool replaces it.
 */
class BoundedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const drop = (error: unknown) => {
      if (error instanceof Error && error.message === READ_TIMEOUT) {
        (
          this as unknown as { connection: { stream: { destroy(): void } } }
        ).connection.stream.destroy();
      }
    };
    this.query = ((...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
          drop(error);
          return (last as (...a: unknown[]) => unknown)(error, ...rest);
        };
      }
      const result = query(...args);
      if (result instanceof Promise) result.catch(drop);
      return result;
    }) as typeof this.query;
  }
}

export function dataSourceOptions(settings: DataSourceSettings) {
  const t = settings.timeouts;
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
      connectionTimeoutMillis: t?.connectMs ?? 5_000,
      // A peer that vanished without a FIN/RST (a partition, a dead host) is noticed by the kernel.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(t
        ? {
            Client: BoundedClient,
            statement_timeout: t.statementMs,
            query_timeout: t.queryMs,
            idle_in_transaction_session_timeout: t.idleInTransactionMs,
          }
        : {}),
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
