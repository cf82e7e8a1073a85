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

/** Node socket errors of a connection to PostgreSQL that is refused, cut or unreachable. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** What pg says when the connection never opened, dropped, or stopped answering. */
const UNREACHABLE_MESSAGE =
  /^(Connection terminated|timeout expired|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection closed)/;

/**
 * SQLSTATEs meaning "not now" rather than "wrong request": the server is shutting down or
 * starting (57P0x), the connection failed (08xxx), too many connections (53300), a statement,
 * lock wait or idle transaction ran out of time (57014, 55P03, 25P03).
 */
function isUnavailableState(code: string): boolean {
  return /^(08|57P0)/.test(code) || ['53300', '57014', '55P03', '25P03'].includes(code);
}

/**
 * True when `error` (or what it wraps: TypeORM's driverError, a cause, the attempts of an
 * AggregateError) says the database cannot serve now; the API answers 503 + Retry-After.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (UNREACHABLE_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableState(code)))
  ) {
    return true;
  }
  if (typeof message === 'string' && UNREACHABLE_MESSAGE.test(message)) return true;
  const nested = [
    error instanceof QueryFailedError ? error.driverError : undefined,
    (error as { cause?: unknown }).cause,
    ...(error instanceof AggregateError ? error.errors : []),
  ];
  return nested.some((e) => isDatabaseUnavailable(e, depth + 1));
}
