import { Injectable } from '@nestjs/common';
import {
  ClinicClock,
  type ClinicClosureQuery,
  type ClinicClosureView,
  type CreateClinicClosureRequest,
  nextDate,
} from '@tautline/domain';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { writeFailure } from '../resources/write-errors';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { CLOSURE_COLUMNS, type ClosureRow, toClosureView } from './availability.rows';
import { requireClinicZone } from './clinic-zone';

/** When a clinic is shut (bank holiday, burst pipe): nothing is offered there, whoever is rostered. */
@Injectable()
export class ClosuresService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Closures of one of the caller's clinics overlapping `[from, to)` (either end may be open). */
  async list(
    scope: TenantScope,
    clinicId: string,
    query: ClinicClosureQuery,
  ): Promise<ClinicClosureView[]> {
    scope.requireClinic(clinicId);
    const rows: ClosureRow[] = await this.db.query(
      `SELECT ${CLOSURE_COLUMNS} FROM clinic_closures c
       WHERE c.clinic_id = $1 AND c.organisation_id = $2
         AND c.during && tstzrange($3::timestamptz, $4::timestamptz, '[)')
       ORDER BY lower(c.during), c.id`,
      [clinicId, scope.organisationId, query.from ?? null, query.to ?? null],
    );
    return rows.map(toClosureView);
  }

  /**
   * A whole local day is stored as that day's instants in the clinic's zone (Key decision 1), so
   * a closed 2026-03-29 in London lasts 23 hours and one on 2026-10-25 lasts 25.
   */
  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    clinicId: string,
    body: CreateClinicClosureRequest,
  ): Promise<ClinicClosureView> {
    scope.requireClinic(clinicId);
    try {
      return await inTransaction(this.db, async (tx) => {
        const zone = await requireClinicZone(tx, clinicId, body.timeZone);
        let start = body.start;
        let end = body.end;
        if (body.date !== undefined) {
          const clock = new ClinicClock(zone);
          start = new Date(clock.instantAt(body.date, 0)).toISOString();
          end = new Date(clock.instantAt(nextDate(body.date), 0)).toISOString();
        }
        const [row]: ClosureRow[] = await tx.query(
          `INSERT INTO clinic_closures AS c (organisation_id, clinic_id, during, reason)
           VALUES ($1, $2, tstzrange($3::timestamptz, $4::timestamptz, '[)'), $5)
           RETURNING ${CLOSURE_COLUMNS}`,
          [scope.organisationId, clinicId, start, end, body.reason],
        );
        if (!row) throw new Error('INSERT … RETURNING answered no row');
        await this.audit.record(tx, user, {
          action: 'clinic_closure.created',
          subjectType: 'clinic_closure',
          subjectId: row.id,
          clinicId,
          details: { wholeDay: body.date !== undefined },
        });
        return toClosureView(row);
      });
    } catch (error) {
      throw writeFailure(error);
    }
  }

  async remove(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const [row]: { clinic_id: string }[] = await tx.query(
        `SELECT c.clinic_id FROM clinic_closures c
         WHERE c.id = $1 AND c.organisation_id = $2 AND c.clinic_id = ANY($3::uuid[])
         FOR UPDATE`,
        [id, scope.organisationId, scope.clinicIds],
      );
      if (!row) throw notFound('clinic closure', id);
      await tx.query(`DELETE FROM clinic_closures WHERE id = $1`, [id]);
      await this.audit.record(tx, user, {
        action: 'clinic_closure.deleted',
        subjectType: 'clinic_closure',
        subjectId: id,
        clinicId: row.clinic_id,
      });
    });
  }
}
