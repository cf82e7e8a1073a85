import { Injectable } from '@nestjs/common';
import { type Appointment, type SeriesRequest, type SeriesResult } from '@tautline/domain';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { ClinicsService } from '../clinics/clinics.service';
import { Problem } from '../common/problem';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { BookingService } from './booking.service';

type Occurrence = SeriesResult['occurrences'][number];
type Write = (tx: EntityManager) => Promise<Appointment>;

/**
 * A course of weekly sessions in one request. Weeks are added in the clinic's zone, so a 09:00
 * course stays at 09:00 local across a DST change. Every occurrence is checked first; then either
 * all are written in one transaction, or (book_what_fits) those that fit, each in a savepoint.
 */
@Injectable()
export class SeriesService {
  constructor(
    private readonly clinics: ClinicsService,
    private readonly booking: BookingService,
  ) {}

  /** Checks every occurrence (outside any transaction) and returns the write. */
  async prepare(
    scope: TenantScope,
    user: AuthenticatedUser,
    req: SeriesRequest,
  ): Promise<(tx: EntityManager) => Promise<{ status: number; body: SeriesResult }>> {
    const clinic = await this.clinics.get(scope, req.clinicId);
    const first = DateTime.fromISO(req.start, { zone: clinic.timeZone });
    const starts = Array.from(
      { length: req.occurrences },
      (_, k) =>
        first
          .plus({ weeks: k * req.everyWeeks })
          .toUTC()
          .toISO()!,
    );
    const seriesId = randomUUID();
    const { occurrences: _n, everyWeeks: _e, mode: _m, ...single } = req;

    const planned: { start: string; write?: Write; conflict?: Occurrence }[] = [];
    for (const start of starts) {
      try {
        planned.push({
          start,
          write: await this.booking.prepareCreate(scope, user, { ...single, start }, seriesId),
        });
      } catch (error) {
        planned.push({ start, conflict: asOccurrenceConflict(start, error) });
      }
    }
    const conflicts = planned.filter((p) => p.conflict);
    if (conflicts.length > 0 && req.mode === 'all_or_nothing') {
      return async () => ({
        status: 409,
        body: {
          seriesId: null,
          occurrences: planned.map(
            (p) =>
              p.conflict ?? {
                start: p.start,
                outcome: 'conflict',
                resource: 'availability',
                conflictingAppointmentId: null,
                detail: 'not booked: another occurrence conflicts (all or nothing)',
              },
          ),
        },
      });
    }
    return (tx) => this.write(req, seriesId, planned, tx);
  }

  private async write(
    req: SeriesRequest,
    seriesId: string,
    planned: { start: string; write?: Write; conflict?: Occurrence }[],
    tx: EntityManager,
  ): Promise<{ status: number; body: SeriesResult }> {
    const occurrences: Occurrence[] = [];
    for (const p of planned) {
      if (p.conflict || !p.write) {
        occurrences.push(p.conflict!);
        continue;
      }
      if (req.mode === 'all_or_nothing') {
        occurrences.push({ start: p.start, outcome: 'booked', appointment: await p.write(tx) });
        continue;
      }
      // A race lost on one occurrence must not undo the others.
      await tx.query('SAVEPOINT occurrence');
      try {
        occurrences.push({ start: p.start, outcome: 'booked', appointment: await p.write(tx) });
        await tx.query('RELEASE SAVEPOINT occurrence');
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT occurrence');
        occurrences.push(asOccurrenceConflict(p.start, error));
      }
    }
    const booked = occurrences.some((o) => o.outcome === 'booked');
    return {
      status: booked ? 201 : 409,
      body: { seriesId: booked ? seriesId : null, occurrences },
    };
  }
}

function asOccurrenceConflict(start: string, error: unknown): Occurrence {
  if (!(error instanceof Problem) || ![409, 422].includes(error.getStatus())) throw error;
  const extra = error.extra ?? {};
  const resource =
    typeof extra.resource === 'string'
      ? extra.resource
      : extra.screening
        ? 'screening'
        : 'availability';
  return {
    start,
    outcome: 'conflict',
    resource: resource as 'practitioner' | 'room' | 'patient' | 'availability' | 'screening',
    conflictingAppointmentId:
      typeof extra.conflictingAppointmentId === 'string' ? extra.conflictingAppointmentId : null,
    detail: error.detail,
  };
}
