import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@tautline/domain';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable, pgErrorOf } from './pg-errors';
import { safeInstance } from './problem.instance';
import { Problem } from './problem';

const INVALID_JSON = /not valid JSON/i;

/** Builds RFC 9457 problem details from anything thrown; 5xx never reveal internals. */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  if (error instanceof Problem) {
    return {
      type: 'about:blank',
      title: error.title,
      status: error.getStatus(),
      detail: error.detail,
      instance,
      ...(error.errors ? { errors: error.errors } : {}),
      ...error.extra,
    };
  }
  if (isPoolExhausted(error)) {
    // Overload, not a bug: every database connection is busy. The client should retry shortly.
    return {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'The service is busy; please retry in a moment.',
      instance,
    };
  }
  if (isDatabaseUnavailable(error)) {
    // Refused, cut, partitioned or timed out: nothing was promised, so a retry is safe.
    return {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'The service cannot reach its database right now; please retry in a moment.',
      instance,
    };
  }
  const status = clientErrorStatus(error);
  if (status === undefined) {
    return {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'Something went wrong on our side; it has been logged.',
      instance,
    };
  }
  const detail = withoutUrl(errorMessage(error), instance);
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    ...(status === 400 && INVALID_JSON.test(detail)
      ? { errors: [{ field: 'body', message: 'is not valid JSON' }] }
      : {}),
  };
}

/** The 4xx status of a Nest HttpException or of a Fastify client error (bad JSON, wrong media type, too large). */
function clientErrorStatus(error: unknown): number | undefined {
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    return typeof response === 'string'
      ? response
      : String((response as { message?: unknown }).message ?? error.message);
  }
  return (error as Error).message;
}

/** The router's "Cannot GET /path?query" would echo the raw URL (a link token can be in it). */
function withoutUrl(detail: string, instance: string | undefined): string {
  const route = /^Cannot ([A-Z]+) /.exec(detail);
  return route ? `Cannot ${route[1]} ${instance ?? 'this path'}` : detail;
}

export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', '1');
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const problem = toProblem(error, safeInstance(request.url));
    if (isPoolExhausted(error))
      this.logger.warn({ event: 'db.pool_exhausted' }, 'database pool exhausted');
    else if (problem.status === HttpStatus.SERVICE_UNAVAILABLE)
      this.logger.warn({ event: 'db.unavailable', ...safeErrorLog(error) }, 'database unavailable');
    else if (problem.status >= 500) this.logger.error(safeErrorLog(error), 'unhandled error');
    sendProblem(http.getResponse<FastifyReply>(), problem);
  }
}

/**
 * What a 500 logs: type, SQLSTATE and constraint, and stack frames. Never the message or the query
 * parameters, which can carry patient data (a failed INSERT's values).
 */
function safeErrorLog(error: unknown): Record<string, unknown> {
  const pg = pgErrorOf(error);
  const stack =
    error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 12).join('\n') : undefined;
  const code = (error as { code?: unknown } | null)?.code;
  return {
    errorType: error instanceof Error ? error.constructor.name : typeof error,
    ...(pg
      ? { sqlstate: pg.code, constraint: pg.constraint }
      : typeof code === 'string'
        ? { code }
        : {}),
    stack,
  };
}
