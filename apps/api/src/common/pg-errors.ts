import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes the API turns into answers instead of 500s. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export interface PgError {
  code: string;
  constraint?: string;
  detail?: string;
}

/** The PostgreSQL error behind a TypeORM or pg failure, if that is what it is. */
export function pgErrorOf(error: unknown): PgError | undefined {
  const candidate = error instanceof QueryFailedError ? error.driverError : error;
  const code = (candidate as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const { constraint, detail } = candidate as { constraint?: string; detail?: string };
  return { code, constraint, detail };
}

export function isRetryable(error: unknown): boolean {
  const code = pgErrorOf(error)?.code;
  return code === PG.serializationFailure || code === PG.deadlockDetected;
}
