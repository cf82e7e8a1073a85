import { Injectable } from '@nestjs/common';
import { PractitionerClinicEntity, PractitionerEntity } from '@tautline/db';
import {
  type CreatePractitionerRequest,
  FINAL_APPOINTMENT_STATUSES,
  type PractitionerListQuery,
  type PractitionerView,
  type UpdatePractitionerRequest,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { changedFields, conflict, writeFailure } from './write-errors';

interface PractitionerFilter {
  ids?: string[];
  /** Only practitioners who work at this clinic (their other clinics of the caller's are still listed). */
  atClinic?: string;
  activeOnly?: boolean;
}

/**
 * Practitioners belong to the organisation and work at clinics. A caller sees a practitioner who
 * works at one of the caller's clinics, and only those of the practitioner's clinics that are
 * the caller's; anyone else answers 404.
 */
@Injectable()
export class PractitionersService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(scope: TenantScope, query: PractitionerListQuery): Promise<PractitionerView[]> {
    if (query.clinicId) scope.requireClinic(query.clinicId);
    return this.load(this.db.manager, scope, { atClinic: query.clinicId });
  }

  async get(
    scope: TenantScope,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<PractitionerView> {
    const [practitioner] = await this.load(manager, scope, { ids: [id] });
    if (!practitioner) throw notFound('practitioner', id);
    return practitioner;
  }

  /** Active practitioners working at one of the caller's clinics, as the slot search reads them. */
  forClinic(
    scope: TenantScope,
    clinicId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<PractitionerView[]> {
    scope.requireClinic(clinicId);
    return this.load(manager, scope, { atClinic: clinicId, activeOnly: true });
  }

  /**
   * The caller's clinics the practitioner works at (404 when there are none). With `lock`, the
   * practitioner row stays locked to the end of `manager`'s transaction, so the clinic list cannot
   * change under a write that depends on it.
   */
  async clinicsOf(
    manager: EntityManager,
    scope: TenantScope,
    id: string,
    lock = false,
  ): Promise<string[]> {
    if (lock) await this.lockRow(manager, scope, id);
    return (await this.get(scope, id, manager)).clinicIds;
  }

  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    body: CreatePractitionerRequest,
  ): Promise<PractitionerView> {
    for (const clinicId of body.clinicIds) scope.requireClinic(clinicId);
    const { clinicIds, ...fields } = body;
    try {
      return await inTransaction(this.db, async (tx) => {
        const practitioners = tx.getRepository(PractitionerEntity);
        const row = await practitioners.save(
          practitioners.create({ ...fields, organisationId: scope.organisationId }),
        );
        await tx.getRepository(PractitionerClinicEntity).insert(
          clinicIds.map((clinicId) => ({
            practitionerId: row.id,
            clinicId,
            organisationId: scope.organisationId,
          })),
        );
        await this.audit.record(tx, user, {
          action: 'practitioner.created',
          subjectType: 'practitioner',
          subjectId: row.id,
          details: { clinicsAdded: clinicIds.length, estimQualified: row.estimQualified },
        });
        return this.get(scope, row.id, tx);
      });
    } catch (error) {
      throw writeFailure(error);
    }
  }

  async update(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    body: UpdatePractitionerRequest,
  ): Promise<PractitionerView> {
    for (const clinicId of body.clinicIds ?? []) scope.requireClinic(clinicId);
    const { clinicIds, ...fields } = body;
    try {
      return await inTransaction(this.db, async (tx) => {
        const current = await this.clinicsOf(tx, scope, id, true);
        if (Object.keys(fields).length > 0)
          await tx.getRepository(PractitionerEntity).update({ id }, fields);
        const wanted = clinicIds ?? current;
        const added = wanted.filter((c) => !current.includes(c));
        const removed = current.filter((c) => !wanted.includes(c));
        if (removed.length > 0) {
          await this.refuseLeavingBookedClinics(tx, id, removed);
          // Availability kept at those clinics goes with the membership (ON DELETE CASCADE).
          await tx.query(
            `DELETE FROM practitioner_clinics WHERE practitioner_id = $1 AND clinic_id = ANY($2::uuid[])`,
            [id, removed],
          );
        }
        if (added.length > 0) {
          await tx.getRepository(PractitionerClinicEntity).insert(
            added.map((clinicId) => ({
              practitionerId: id,
              clinicId,
              organisationId: scope.organisationId,
            })),
          );
        }
        await this.audit.record(tx, user, {
          action: 'practitioner.updated',
          subjectType: 'practitioner',
          subjectId: id,
          details: {
            fields: changedFields(body),
            clinicsAdded: added.length,
            clinicsRemoved: removed.length,
          },
        });
        return this.get(scope, id, tx);
      });
    } catch (error) {
      throw writeFailure(error);
    }
  }

  /** Leaving a clinic with appointments still to come would strand them: move or cancel them first. */
  private async refuseLeavingBookedClinics(
    tx: EntityManager,
    id: string,
    clinicIds: string[],
  ): Promise<void> {
    const rows: { clinic_id: string; upcoming: string }[] = await tx.query(
      `SELECT clinic_id, count(*) AS upcoming FROM appointments
       WHERE practitioner_id = $1 AND clinic_id = ANY($2::uuid[]) AND status <> ALL($3::text[]) AND ends_at > now()
       GROUP BY clinic_id ORDER BY clinic_id LIMIT 1`,
      [id, clinicIds, FINAL_APPOINTMENT_STATUSES],
    );
    const [booked] = rows;
    if (booked) {
      throw conflict(
        'body.clinicIds',
        `the practitioner has ${booked.upcoming} upcoming appointment(s) at clinic ${booked.clinic_id}; move or cancel them first`,
        { clinicId: booked.clinic_id },
      );
    }
  }

  private async lockRow(manager: EntityManager, scope: TenantScope, id: string): Promise<void> {
    const row = await manager
      .getRepository(PractitionerEntity)
      .createQueryBuilder('p')
      // Serialises writes to the practitioner's clinics and availability; bookings (a foreign key
      // check, FOR KEY SHARE) are not held up.
      .setLock('for_no_key_update')
      .where('p.id = :id AND p.organisationId = :org', { id, org: scope.organisationId })
      .getOne();
    if (!row) throw notFound('practitioner', id);
  }

  /** Two queries whatever the number of practitioners: the caller's memberships, then the practitioners. */
  private async load(
    manager: EntityManager,
    scope: TenantScope,
    filter: PractitionerFilter,
  ): Promise<PractitionerView[]> {
    const memberships = manager.getRepository(PractitionerClinicEntity).createQueryBuilder('pc');
    if (filter.ids) memberships.andWhere('pc.practitionerId IN (:...ids)', { ids: filter.ids });
    if (filter.atClinic) {
      memberships.andWhere(
        'pc.practitionerId IN (SELECT here.practitioner_id FROM practitioner_clinics here WHERE here.clinic_id = :atClinic)',
        { atClinic: filter.atClinic },
      );
    }
    const clinicsByPractitioner = new Map<string, string[]>();
    for (const m of await scope.apply(memberships, 'pc').orderBy('pc.clinicId').getMany()) {
      clinicsByPractitioner.set(m.practitionerId, [
        ...(clinicsByPractitioner.get(m.practitionerId) ?? []),
        m.clinicId,
      ]);
    }
    if (clinicsByPractitioner.size === 0) return [];

    const practitioners = manager
      .getRepository(PractitionerEntity)
      .createQueryBuilder('p')
      .where('p.id IN (:...ids)', { ids: [...clinicsByPractitioner.keys()] })
      .andWhere('p.organisationId = :org', { org: scope.organisationId })
      .orderBy('p.name')
      .addOrderBy('p.id');
    if (filter.activeOnly) practitioners.andWhere('p.active');
    return (await practitioners.getMany()).map((p) => ({
      id: p.id,
      name: p.name,
      credentials: p.credentials,
      dryNeedlingCertExpiresOn: p.dryNeedlingCertExpiresOn,
      estimQualified: p.estimQualified,
      active: p.active,
      clinicIds: clinicsByPractitioner.get(p.id) ?? [],
    }));
  }
}
