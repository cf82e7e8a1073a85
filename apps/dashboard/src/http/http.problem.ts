import { ProblemDetails } from '@tautline/domain';

/** A failed API call, carrying the RFC 9457 problem the server answered (or one made up for network failures). */
export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';

  constructor(
    readonly problem: ProblemDetails,
    /** Seconds from the `Retry-After` header of a 429/503, when the server sent one. */
    readonly retryAfterSeconds: number | null = null,
    /** The problem as the server sent it, with any members beyond RFC 9457 (`resource`, `screening`, …). */
    readonly body: unknown = null,
  ) {
    super(problem.detail ?? problem.title);
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Status 0: the request never got an answer. */
export const NETWORK_PROBLEM: ProblemDetails = {
  type: 'about:blank',
  title: 'Network error',
  status: 0,
};

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiProblemError && error.status === 401;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Reads a problem body; servers and proxies that answer something else still yield a usable problem. */
export function toProblem(body: unknown, status: number, statusText: string): ProblemDetails {
  const parsed = ProblemDetails.safeParse(body);
  if (parsed.success) return parsed.data;
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status };
}

function seconds(n: number): string {
  return n === 1 ? '1 second' : `${n} seconds`;
}

/** Words a person can act on, for problems that are not specific to one screen. */
export function describeProblem(error: unknown): string {
  if (!(error instanceof ApiProblemError)) return 'Something went wrong. Please try again.';
  const { problem, retryAfterSeconds } = error;
  switch (true) {
    case problem.status === 0:
      return 'Cannot reach Tautline. Check your connection and try again.';
    case problem.status === 429:
      return retryAfterSeconds === null
        ? 'Too many attempts. Please wait a moment and try again.'
        : `Too many attempts. Try again in ${seconds(retryAfterSeconds)}.`;
    case problem.status === 403:
      return 'You do not have permission to do that.';
    case problem.status >= 500:
      return 'Tautline is having trouble right now. Please try again in a moment.';
    default:
      return problem.detail ?? problem.title;
  }
}
