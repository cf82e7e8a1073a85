import { HttpException, HttpStatus } from '@nestjs/common';
import { type FieldError } from '@tautline/domain';

/** An HttpException that carries RFC 9457 fields; the problem filter renders it as-is. */
export class Problem extends HttpException {
  constructor(
    status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail, status);
  }
}

export function validationProblem(errors: FieldError[]): Problem {
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new Problem(HttpStatus.BAD_REQUEST, 'Invalid request', detail, errors);
}

/** The one answer for "missing" and "not yours": callers cannot tell the two apart. */
export function notFound(what: string, id: string): Problem {
  // An id from the URL is echoed only when it looks like one: never control characters or a long token.
  const shown = ECHOABLE_ID.test(id) ? `${what} ${id}` : what;
  return new Problem(HttpStatus.NOT_FOUND, 'Not found', `${shown} was not found`);
}

const ECHOABLE_ID = /^[A-Za-z0-9_-]{1,64}$/;
