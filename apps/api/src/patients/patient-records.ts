import { HttpStatus } from '@nestjs/common';
import { ClinicEntity, PatientEntity } from '@tautline/db';
import { ClinicClock, type PatientView } from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { notFound, Problem } from '../common/problem';
import { type TenantScope } from '../tenancy/tenant-scope';

/** PHI: the view goes to the caller only, never to logs, audit details or job payloads. */
export function toPatientView(row: PatientEntity): PatientView {
  return {
    id: row.id,
    clinicId: row.clinicId,
    givenName: row.givenName,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth,
    phone: row.phone,
    email: row.email,
    preferredChannel: row.preferredChannel,
    timeZone: row.timeZone,
    createdAt: row.createdAt.toISOString(),
  };
}

export function patientNotFound(id: string): Problem {
  return notFound('patient', id);
}

/** True for the 404 `patientNotFound(id)` builds: the caller asked for a patient it may not see. */
export function isPatientNotFound(error: unknown, id: string): boolean {
  return (
    error instanceof Problem &&
    error.getStatus() === HttpStatus.NOT_FOUND &&
    error.detail === `patient ${id} was not found`
  );
}

/**
 * The patient if the caller's scope covers its home clinic; otherwise the same 404 as an unknown id.
 * `lock` takes the row for the rest of the transaction, so concurrent changes to one patient queue up.
 */
export async function findVisiblePatient(
  tx: EntityManager,
  scope: TenantScope,
  id: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<PatientEntity> {
  const qb = tx
    .getRepository(PatientEntity)
    .createQueryBuilder('patient')
    .where('patient.id = :id', { id });
  scope.apply(qb, 'patient');
  if (lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw patientNotFound(id);
  return row;
}

/** The IANA zone of one of the caller's clinics; another clinic answers 404 like an unknown one. */
export async function visibleClinicZone(
  tx: EntityManager,
  scope: TenantScope,
  clinicId: string,
): Promise<string> {
  scope.requireClinic(clinicId);
  const clinic = await tx.getRepository(ClinicEntity).findOne({
    where: { id: clinicId, organisationId: scope.organisationId },
    select: { id: true, timeZone: true },
  });
  if (!clinic) throw notFound('clinic', clinicId);
  return clinic.timeZone;
}

/** Today's date (`YYYY-MM-DD`) on the wall clock of a zone. */
export function todayIn(timeZone: string, nowMs: number = Date.now()): string {
  return new ClinicClock(timeZone).localDate(nowMs);
}

/** Escapes LIKE wildcards so a search term matches literally (PostgreSQL's default escape is `\`). */
export function likePrefix(term: string): string {
  return `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
