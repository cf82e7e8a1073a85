import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PatientEntity } from '@tautline/db';
import {
  type CreatePatientRequest,
  type PatientDetail,
  type PatientPage,
  type PatientScreening,
  type PatientSearchQuery,
  type PatientView,
  unreachableChannel,
  type UpdatePatientRequest,
} from '@tautline/domain';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { PG, pgErrorOf } from '../common/pg-errors';
import { notFound, validationProblem } from '../common/problem';
import { AuthenticatedUser, TenantScope } from '../tenancy/tenant-scope';
import { PATIENT_AUDIT, PatientAuditTrail } from './patient-audit';
import { findVisiblePatient, toPatientView, visibleClinicZone } from './patient-records';
import { applySearch } from './patient-search';
import { PatientScreeningService, toScreening } from './patient-screening.service';

const FIELDS = [
  'clinicId',
  'givenName',
  'familyName',
  'dateOfBirth',
  'phone',
  'email',
  'preferredChannel',
  'timeZone',
] as const;

/** Patient records, scoped to the caller's clinics; every read and change leaves an audit event. */
@Injectable()
export class PatientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly trail: PatientAuditTrail,
    private readonly screenings: PatientScreeningService,
  ) {}

  /** One page, ordered by family then given name; one audit event per search, with the count. */
  async search(
    scope: TenantScope,
    user: AuthenticatedUser,
    query: PatientSearchQuery,
  ): Promise<PatientPage> {
    if (query.clinicId) scope.requireClinic(query.clinicId);
    return this.trail.run(user, { action: PATIENT_AUDIT.searched }, async (tx) => {
      const qb = this.patients(tx, scope);
      if (query.clinicId) qb.andWhere('patient.clinicId = :clinicId', { clinicId: query.clinicId });
      if (query.ids) qb.andWhere('patient.id IN (:...ids)', { ids: query.ids });
      const by = query.q ? applySearch(qb, query.q) : query.ids ? 'ids' : 'all';
      const rows = await qb
        .orderBy('lower(patient.family_name)', 'ASC')
        .addOrderBy('lower(patient.given_name)', 'ASC')
        .addOrderBy('patient.id', 'ASC')
        .offset(query.offset)
        .limit(query.limit + 1)
        .getMany();
      const items = rows.slice(0, query.limit).map(toPatientView);
      await this.trail.record(tx, user, {
        action: PATIENT_AUDIT.searched,
        clinicId: query.clinicId ?? null,
        // How, never what: the search term may be a name or a phone number.
        details: { count: items.length, by, offset: query.offset },
      });
      const nextOffset = rows.length > query.limit ? query.offset + query.limit : null;
      return { items, limit: query.limit, offset: query.offset, nextOffset };
    });
  }

  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    body: CreatePatientRequest,
  ): Promise<PatientView> {
    return this.trail.run(user, { action: PATIENT_AUDIT.created }, async (tx) => {
      const clinicZone = await visibleClinicZone(tx, scope, body.clinicId);
      const inserted = await tx
        .getRepository(PatientEntity)
        .insert({
          organisationId: scope.organisationId,
          clinicId: body.clinicId,
          givenName: body.givenName,
          familyName: body.familyName,
          dateOfBirth: body.dateOfBirth,
          phone: body.phone ?? null,
          email: body.email ?? null,
          preferredChannel: body.preferredChannel,
          timeZone: body.timeZone ?? clinicZone,
        })
        .catch(rethrowAsProblem(body.clinicId));
      const id = String(inserted.identifiers[0]?.id);
      await this.trail.record(tx, user, {
        action: PATIENT_AUDIT.created,
        patientId: id,
        clinicId: body.clinicId,
      });
      return toPatientView(await findVisiblePatient(tx, scope, id));
    });
  }

  /** The record with its screening; reading it is audited. */
  async get(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<PatientDetail> {
    return this.trail.run(user, { action: PATIENT_AUDIT.read, patientId: id }, async (tx) => {
      const patient = await findVisiblePatient(tx, scope, id);
      const screening = await this.screenings.view(tx, patient);
      await this.trail.record(tx, user, {
        action: PATIENT_AUDIT.read,
        patientId: id,
        clinicId: patient.clinicId,
      });
      return { ...toPatientView(patient), screening };
    });
  }

  async update(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    body: UpdatePatientRequest,
  ): Promise<PatientView> {
    return this.trail.run(user, { action: PATIENT_AUDIT.updated, patientId: id }, async (tx) => {
      const patient = await findVisiblePatient(tx, scope, id, { lock: true });
      if (body.clinicId !== undefined && body.clinicId !== patient.clinicId) {
        await visibleClinicZone(tx, scope, body.clinicId);
      }
      const changes: Partial<PatientEntity> = {};
      for (const field of FIELDS) {
        if (body[field] !== undefined && body[field] !== patient[field])
          Object.assign(changes, { [field]: body[field] });
      }
      const merged = { ...patient, ...changes };
      const missing = unreachableChannel(merged);
      if (missing)
        throw validationProblem([{ field: `body.${missing.field}`, message: missing.message }]);
      const changed = Object.keys(changes);
      if (changed.length > 0) {
        await tx
          .getRepository(PatientEntity)
          .update({ id }, changes)
          .catch(rethrowAsProblem(merged.clinicId));
      }
      await this.trail.record(tx, user, {
        action: PATIENT_AUDIT.updated,
        patientId: id,
        clinicId: merged.clinicId,
        // Field names, never their values.
        details: {
          fields: changed.sort().join(','),
          ...(changes.clinicId ? { fromClinicId: patient.clinicId } : {}),
        },
      });
      return toPatientView(merged);
    });
  }

  /**
   * What the screening rules need to decide whether this patient may be booked: consents and
   * contraindication codes on file. 404 when the patient is not visible to the caller. Not audited
   * here: the booking that asks is.
   */
  async screeningFor(
    scope: TenantScope,
    patientId: string,
  ): Promise<{ id: string; clinicId: string; screening: PatientScreening }> {
    const tx = this.db.manager;
    const patient = await findVisiblePatient(tx, scope, patientId);
    return {
      id: patient.id,
      clinicId: patient.clinicId,
      screening: toScreening(await this.screenings.records(tx, patient.id)),
    };
  }

  private patients(tx: EntityManager, scope: TenantScope): SelectQueryBuilder<PatientEntity> {
    return scope.apply(tx.getRepository(PatientEntity).createQueryBuilder('patient'), 'patient');
  }
}

/** The database's own guards (CHECKs, the clinic foreign key) as 4xx, should a request get past validation. */
function rethrowAsProblem(clinicId: string): (error: unknown) => never {
  return (error) => {
    const pg = pgErrorOf(error);
    if (pg?.code === PG.foreignKeyViolation) throw notFound('clinic', clinicId);
    if (pg?.code === PG.checkViolation) {
      const field = CHECK_FIELDS[pg.constraint ?? ''] ?? 'body';
      throw validationProblem([{ field, message: 'is not accepted by the patient record' }]);
    }
    throw error;
  };
}

const CHECK_FIELDS: Record<string, string> = {
  patients_phone_e164: 'body.phone',
  patients_email_shape: 'body.email',
  patients_channel_reachable: 'body.preferredChannel',
  patients_date_of_birth_check: 'body.dateOfBirth',
  patients_given_name_check: 'body.givenName',
  patients_family_name_check: 'body.familyName',
  patients_time_zone_check: 'body.timeZone',
};
