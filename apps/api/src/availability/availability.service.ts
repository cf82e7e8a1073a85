import { Injectable } from '@nestjs/common';
import { AvailabilityRuleEntity } from '@tautline/db';
import {
  type Availability,
  type PractitionerAvailability,
  type PractitionerAvailabilityQuery,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { validationProblem } from '../common/problem';
import { PractitionersService } from '../resources/practitioners.service';
import { type TenantScope } from '../tenancy/tenant-scope';
import {
  CLOSURE_COLUMNS,
  type ClosureRow,
  EXCEPTION_COLUMNS,
  type ExceptionRow,
  toExceptionView,
  toRuleView,
  utcDateShifted,
} from './availability.rows';

/** Reads of availability: a practitioner's, for the API, and a clinic's window, for the slot search. */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly db: DataSource,
    private readonly practitioners: PractitionersService,
  ) {}

  /**
   * A practitioner's weekly rules and exceptions at one of the caller's clinics, or at all of the
   * caller's clinics they work at. Time off without a clinic (away everywhere) is always listed.
   */
  async forPractitioner(
    scope: TenantScope,
    practitionerId: string,
    query: PractitionerAvailabilityQuery,
  ): Promise<PractitionerAvailability> {
    if (query.clinicId) scope.requireClinic(query.clinicId);
    const worksAt = await this.practitioners.clinicsOf(this.db.manager, scope, practitionerId);
    const clinicIds = query.clinicId ? worksAt.filter((c) => c === query.clinicId) : worksAt;

    const rules =
      clinicIds.length === 0
        ? []
        : await this.db
            .getRepository(AvailabilityRuleEntity)
            .createQueryBuilder('rule')
            .where('rule.practitionerId = :practitionerId', { practitionerId })
            .andWhere('rule.organisationId = :org AND rule.clinicId IN (:...clinicIds)', {
              org: scope.organisationId,
              clinicIds,
            })
            .orderBy('rule.clinicId')
            .addOrderBy('rule.weekday')
            .addOrderBy('rule.startTime')
            .addOrderBy('rule.effectiveFrom')
            .getMany();
    const exceptions: ExceptionRow[] = await this.db.query(
      `SELECT ${EXCEPTION_COLUMNS} FROM availability_exceptions e
       WHERE e.practitioner_id = $1 AND e.organisation_id = $2
         AND (e.clinic_id = ANY($3::uuid[]) OR e.clinic_id IS NULL)
         AND e.during && tstzrange($4::timestamptz, $5::timestamptz, '[)')
       ORDER BY lower(e.during), e.id`,
      [practitionerId, scope.organisationId, clinicIds, query.from ?? null, query.to ?? null],
    );
    return {
      practitionerId,
      rules: rules.map(toRuleView),
      exceptions: exceptions.map(toExceptionView),
    };
  }

  /**
   * Everything the slot engine needs to know about when the given practitioners work at one of
   * the caller's clinics (404 otherwise) within `[from, to)`: weekly rules in effect then, exceptions
   * and closures overlapping it, in the domain's shapes. One query each, whatever the number of
   * practitioners. Ids of practitioners outside the organisation simply match nothing.
   */
  async forSlotSearch(
    scope: TenantScope,
    clinicId: string,
    practitionerIds: readonly string[],
    from: Date | string,
    to: Date | string,
    manager: EntityManager = this.db.manager,
  ): Promise<Availability> {
    scope.requireClinic(clinicId);
    const fromInstant = new Date(from);
    const toInstant = new Date(to);
    if (!(fromInstant.getTime() < toInstant.getTime())) {
      throw validationProblem([{ field: 'query.to', message: 'must be after from' }]);
    }
    const org = scope.organisationId;
    const ids = [...practitionerIds];

    const closureRows: ClosureRow[] = await manager.query(
      `SELECT ${CLOSURE_COLUMNS} FROM clinic_closures c
       WHERE c.clinic_id = $1 AND c.organisation_id = $2 AND c.during && tstzrange($3, $4, '[)')
       ORDER BY lower(c.during)`,
      [clinicId, org, fromInstant, toInstant],
    );
    const closures = closureRows.map(({ clinic_id, starts_at, ends_at, reason }) => ({
      clinicId: clinic_id,
      start: starts_at.toISOString(),
      end: ends_at.toISOString(),
      reason,
    }));
    if (ids.length === 0) return { rules: [], exceptions: [], closures };

    // Rules are read in local dates: a day either side covers every zone's offset from UTC.
    const rules = await manager
      .getRepository(AvailabilityRuleEntity)
      .createQueryBuilder('rule')
      .where('rule.clinicId = :clinicId AND rule.organisationId = :org', { clinicId, org })
      .andWhere('rule.practitionerId IN (:...ids)', { ids })
      .andWhere('rule.effectiveFrom <= :lastDate', { lastDate: utcDateShifted(toInstant, 1) })
      .andWhere('(rule.effectiveTo IS NULL OR rule.effectiveTo >= :firstDate)', {
        firstDate: utcDateShifted(fromInstant, -1),
      })
      .orderBy('rule.practitionerId')
      .addOrderBy('rule.weekday')
      .addOrderBy('rule.startTime')
      .getMany();
    const exceptionRows: ExceptionRow[] = await manager.query(
      `SELECT ${EXCEPTION_COLUMNS} FROM availability_exceptions e
       WHERE e.practitioner_id = ANY($1::uuid[]) AND e.organisation_id = $2
         AND (e.clinic_id = $3 OR e.clinic_id IS NULL)
         AND e.during && tstzrange($4, $5, '[)')
       ORDER BY lower(e.during), e.id`,
      [ids, org, clinicId, fromInstant, toInstant],
    );

    return {
      rules: rules.map((row) => {
        const { id: _id, ...rule } = toRuleView(row);
        return rule;
      }),
      exceptions: exceptionRows.map((row) => {
        const { id: _id, reason: _reason, ...exception } = toExceptionView(row);
        return exception;
      }),
      closures,
    };
  }
}
