import { Injectable } from '@nestjs/common';
import { AvailabilityRuleEntity } from '@tautline/db';
import {
  type AvailabilityExceptionView,
  type AvailabilityRuleView,
  type CreateAvailabilityExceptionRequest,
  type CreateAvailabilityRuleRequest,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound, validationProblem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { conflict, writeFailure } from '../resources/write-errors';
import { PractitionersService } from '../resources/practitioners.service';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import {
  EXCEPTION_COLUMNS,
  type ExceptionRow,
  toExceptionView,
  toRuleView,
} from './availability.rows';
import { requireClinicZone } from './clinic-zone';

const SAME_RULE = {
  field: 'body.start',
  message:
    'the practitioner already has a rule at this clinic starting then on that weekday from that date',
};

/** Adding and removing a practitioner's weekly rules and exceptions (admins). */
@Injectable()
export class AvailabilityChangesService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly practitioners: PractitionersService,
  ) {}

  async addRule(
    scope: TenantScope,
    user: AuthenticatedUser,
    practitionerId: string,
    body: CreateAvailabilityRuleRequest,
  ): Promise<AvailabilityRuleView> {
    scope.requireClinic(body.clinicId);
    try {
      return await inTransaction(this.db, async (tx) => {
        await this.requireWorksAt(tx, scope, practitionerId, body.clinicId);
        await requireClinicZone(tx, body.clinicId, body.timeZone);
        await this.refuseOverlap(tx, practitionerId, body);
        const rules = tx.getRepository(AvailabilityRuleEntity);
        const row = await rules.save(
          rules.create({
            organisationId: scope.organisationId,
            practitionerId,
            clinicId: body.clinicId,
            weekday: body.weekday,
            startTime: body.start,
            endTime: body.end,
            effectiveFrom: body.effectiveFrom,
            effectiveTo: body.effectiveTo,
          }),
        );
        await this.audit.record(tx, user, {
          action: 'availability_rule.created',
          subjectType: 'availability_rule',
          subjectId: row.id,
          clinicId: body.clinicId,
          details: { practitionerId, weekday: body.weekday },
        });
        return toRuleView({ ...row, startTime: body.start, endTime: body.end });
      });
    } catch (error) {
      throw writeFailure(error, SAME_RULE);
    }
  }

  async removeRule(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const qb = tx
        .getRepository(AvailabilityRuleEntity)
        .createQueryBuilder('rule')
        .where('rule.id = :id', { id })
        .setLock('pessimistic_write');
      const rule = await scope.apply(qb, 'rule').getOne();
      if (!rule) throw notFound('availability rule', id);
      await tx.getRepository(AvailabilityRuleEntity).delete({ id });
      await this.audit.record(tx, user, {
        action: 'availability_rule.deleted',
        subjectType: 'availability_rule',
        subjectId: id,
        clinicId: rule.clinicId,
        details: { practitionerId: rule.practitionerId },
      });
    });
  }

  /** Time off (at one clinic, or everywhere when `clinicId` is omitted) or extra hours at one clinic. */
  async addException(
    scope: TenantScope,
    user: AuthenticatedUser,
    practitionerId: string,
    body: CreateAvailabilityExceptionRequest,
  ): Promise<AvailabilityExceptionView> {
    if (body.clinicId) scope.requireClinic(body.clinicId);
    try {
      return await inTransaction(this.db, async (tx) => {
        if (body.clinicId) await this.requireWorksAt(tx, scope, practitionerId, body.clinicId);
        else await this.practitioners.clinicsOf(tx, scope, practitionerId, true);
        const [row]: ExceptionRow[] = await tx.query(
          `INSERT INTO availability_exceptions AS e (organisation_id, practitioner_id, clinic_id, kind, during, reason)
           VALUES ($1, $2, $3, $4, tstzrange($5::timestamptz, $6::timestamptz, '[)'), $7)
           RETURNING ${EXCEPTION_COLUMNS}`,
          [
            scope.organisationId,
            practitionerId,
            body.clinicId ?? null,
            body.kind,
            body.start,
            body.end,
            body.reason ?? null,
          ],
        );
        if (!row) throw new Error('INSERT … RETURNING answered no row');
        await this.audit.record(tx, user, {
          action: 'availability_exception.created',
          subjectType: 'availability_exception',
          subjectId: row.id,
          clinicId: row.clinic_id,
          details: { practitionerId, kind: row.kind },
        });
        return toExceptionView(row);
      });
    } catch (error) {
      throw writeFailure(error);
    }
  }

  /** An exception at one of the caller's clinics, or one without a clinic for a practitioner the caller sees. */
  async removeException(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const [row]: { clinic_id: string | null; practitioner_id: string }[] = await tx.query(
        `SELECT e.clinic_id, e.practitioner_id FROM availability_exceptions e
         WHERE e.id = $1 AND e.organisation_id = $2
           AND (e.clinic_id = ANY($3::uuid[])
             OR (e.clinic_id IS NULL AND EXISTS (SELECT 1 FROM practitioner_clinics pc
                 WHERE pc.practitioner_id = e.practitioner_id AND pc.clinic_id = ANY($3::uuid[]))))
         FOR UPDATE OF e`,
        [id, scope.organisationId, scope.clinicIds],
      );
      if (!row) throw notFound('availability exception', id);
      await tx.query(`DELETE FROM availability_exceptions WHERE id = $1`, [id]);
      await this.audit.record(tx, user, {
        action: 'availability_exception.deleted',
        subjectType: 'availability_exception',
        subjectId: id,
        clinicId: row.clinic_id,
        details: { practitionerId: row.practitioner_id },
      });
    });
  }

  /** 404 for a practitioner the caller cannot see; 400 naming the clinic when they do not work there. */
  private async requireWorksAt(
    tx: EntityManager,
    scope: TenantScope,
    practitionerId: string,
    clinicId: string,
  ) {
    const clinics = await this.practitioners.clinicsOf(tx, scope, practitionerId, true);
    if (!clinics.includes(clinicId)) {
      throw validationProblem([
        {
          field: 'body.clinicId',
          message: `practitioner ${practitionerId} does not work at clinic ${clinicId}`,
        },
      ]);
    }
  }

  /** Two rules covering the same time at the same clinic are a mistake the engine would hide by merging them. */
  private async refuseOverlap(
    tx: EntityManager,
    practitionerId: string,
    body: CreateAvailabilityRuleRequest,
  ) {
    const qb = tx
      .getRepository(AvailabilityRuleEntity)
      .createQueryBuilder('rule')
      .where(
        'rule.practitionerId = :practitionerId AND rule.clinicId = :clinicId AND rule.weekday = :weekday',
        {
          practitionerId,
          clinicId: body.clinicId,
          weekday: body.weekday,
        },
      )
      .andWhere('rule.startTime < :end AND rule.endTime > :start', {
        start: body.start,
        end: body.end,
      })
      .andWhere('(rule.effectiveTo IS NULL OR rule.effectiveTo >= :effectiveFrom)', {
        effectiveFrom: body.effectiveFrom,
      })
      .orderBy('rule.effectiveFrom');
    if (body.effectiveTo !== null)
      qb.andWhere('rule.effectiveFrom <= :effectiveTo', { effectiveTo: body.effectiveTo });
    const clash = await qb.getOne();
    if (clash) {
      const { start, end, effectiveFrom } = toRuleView(clash);
      throw conflict(
        'body.start',
        `overlaps rule ${clash.id} (${start}–${end}, from ${effectiveFrom}) of this weekday`,
        {
          conflictingRuleId: clash.id,
        },
      );
    }
  }
}
