import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@tautline/domain';
import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { type Socket } from 'node:net';
import { sendProblem } from './problem.filter';
import { safeInstance } from './problem.instance';

/**
 * Errors Fastify answers itself, before any route or Nest filter runs. Its defaults are JSON that
 * repeats the URL ("'/p/<token>%zz' is not a valid url component"); ours are problem+json that
 * never do (a patient link's token can be in the URL).
 */
const FRAMEWORK_DETAIL: Record<string, string> = {
  FST_ERR_BAD_URL: 'the request path is not valid percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is longer than any valid value',
};

/** Fastify's `frameworkErrors` option: bad percent-encoding (400), over-long path parameter (414). */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  sendProblem(reply, {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Bad Request',
    status,
    detail: FRAMEWORK_DETAIL[error.code] ?? 'the request could not be routed',
    instance: safeInstance(request.raw.url),
  });
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the request (headers too large → 431,
 * a request that never finished → 408, anything else malformed → 400). There is no request to
 * answer through, so the problem is written straight to the socket, which then closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const problem: ProblemDetails = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Bad Request',
    status,
    detail:
      status === 431
        ? 'the request headers are larger than the server accepts'
        : status === 408
          ? 'the request was not received in time'
          : 'the request is not valid HTTP',
  };
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
