import { ClinicEntity } from '@tautline/db';
import { isIanaTimeZone } from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { validationProblem } from '../common/problem';
import { conflict } from '../resources/write-errors';

/**
 * The IANA zone a clinic's wall-clock rules and closed days are read in. A caller may echo the
 * zone it wrote local times in (`timeZone`): it must be the clinic's, or the write is refused
 * rather than silently read in another zone. The clinic must already be in the caller's scope.
 */
export async function requireClinicZone(
  manager: EntityManager,
  clinicId: string,
  expected?: string,
): Promise<string> {
  const clinic = await manager.getRepository(ClinicEntity).findOneByOrFail({ id: clinicId });
  if (!isIanaTimeZone(clinic.timeZone)) {
    throw conflict(
      'clinic.timeZone',
      `the clinic's zone ${clinic.timeZone} is not an IANA zone; fix the clinic first`,
    );
  }
  if (expected !== undefined && expected !== clinic.timeZone) {
    throw validationProblem([
      {
        field: 'body.timeZone',
        message: `must be the clinic's time zone, ${clinic.timeZone}: availability is kept in its local time`,
      },
    ]);
  }
  return clinic.timeZone;
}
