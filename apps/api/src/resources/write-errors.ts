import { HttpStatus } from '@nestjs/common';
import { Problem, validationProblem } from '../common/problem';
import { PG, pgErrorOf } from '../common/pg-errors';

/** A 409 naming the input that clashes with a record already there. */
export function conflict(field: string, message: string, extra?: Record<string, unknown>): Problem {
  return new Problem(
    HttpStatus.CONFLICT,
    'Conflict',
    `${field}: ${message}`,
    [{ field, message }],
    extra,
  );
}

/**
 * What a failed write answers instead of a 500: a unique violation is the 409 the caller describes
 * (the service checked everything else first, so that is the race left); a CHECK the schemas did
 * not catch is a 400. Anything else is rethrown as it is. The transaction has rolled back either way.
 */
export function writeFailure(error: unknown, unique?: { field: string; message: string }): unknown {
  const pg = pgErrorOf(error);
  if (pg?.code === PG.uniqueViolation && unique) return conflict(unique.field, unique.message);
  if (pg?.code === PG.checkViolation) {
    return validationProblem([
      { field: 'body', message: `breaks the rule ${pg.constraint ?? 'of the table'}` },
    ]);
  }
  return error;
}

/** The names of the fields a PATCH body sets, for audit details (names only, never values). */
export function changedFields(body: object): string {
  return Object.keys(body).sort().join(',');
}
