import { type RawResponse } from './http-sender';
import { type FuzzRequest } from './request.builder';

export interface Failure {
  /** Operation, mutation family and problem: the same defect found twice is one line. */
  key: string;
  operation: string;
  mutation: string;
  target?: string;
  who: string;
  problem: string;
  status: number;
  body: string;
  /** Which generated request (with the seed, it reproduces). */
  index: number;
  url: string;
  /** The request body's first bytes. */
  sent: string;
}

/** The first `n` characters with control characters made visible (`\u0000`). */
const excerpt = (b: Buffer | string, n = 160) =>
  [...String(b).slice(0, n)]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('');

/** What is wrong with an answer, if anything: a 5xx, a 4xx that is not problem+json, an echo, an accepted invalid input. */
export function problemsOf(req: FuzzRequest, res: RawResponse): string[] {
  const out: string[] = [];
  // Refusing an oversized body may close the connection before the client has finished writing it.
  const oversized =
    (req.body?.length ?? 0) > 1_048_576 && /EPIPE|ECONNRESET/.test(res.body.toString());
  if (res.status === 0) return oversized ? [] : [`no answer (${excerpt(res.body, 80)})`];
  if (res.status >= 500) out.push(`${res.status} server error`);
  if (res.status >= 200 && res.status < 300 && req.invalid) out.push('accepted invalid input');
  if (res.status >= 400 && req.method !== 'HEAD') out.push(...problemBodyIssues(res));
  if (res.status >= 400) {
    const text = res.body.toString('utf8');
    if (text.includes('\u0000') || /\\u0000/i.test(text)) out.push('error body echoes a NUL byte');
    if (req.query.length >= 4 && (text.includes(req.query) || text.includes(safeDecode(req.query))))
      out.push('error body echoes the query string');
  }
  return out;
}

function problemBodyIssues(res: RawResponse): string[] {
  if (!/^application\/problem\+json\b/i.test(res.contentType))
    return [`content-type ${res.contentType || '(none)'} is not application/problem+json`];
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    return ['problem body is not JSON'];
  }
  const p = body as { type?: unknown; title?: unknown; status?: unknown } | null;
  const issues: string[] = [];
  if (typeof p?.type !== 'string') issues.push('problem without type');
  if (typeof p?.title !== 'string') issues.push('problem without title');
  if (p?.status !== res.status)
    issues.push(`problem status ${String(p?.status)} is not the HTTP status`);
  return issues;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reduces a mutation label to its kind, so `bad-date 0000-01-01…` and `bad-date 9999…` on one field group apart but random details do not. */
export const mutationKind = (m: string) => m.replace(/\s+\d{3,}$/, '').slice(0, 60);

export function failureOf(req: FuzzRequest, res: RawResponse, problem: string): Failure {
  // Another method on a documented path is the framework's answer, the same for every path.
  const operation =
    req.method === req.op.method ? req.op.key : `${req.method} (any documented path)`;
  const mutation = mutationKind(req.mutation);
  return {
    // A wrong error format is the route's, whatever the input; a 5xx or an accepted input depends on the mutation.
    key: /content-type|^problem /.test(problem)
      ? `${operation} | ${res.status} | ${problem}`
      : `${operation} | ${mutation.split(' ')[0]} | ${problem}`,
    operation,
    mutation,
    target: req.target,
    who: req.who,
    problem,
    status: res.status,
    body: excerpt(res.body),
    index: req.index,
    url: excerpt(req.url, 140),
    sent: excerpt(req.body ?? '', 100),
  };
}
