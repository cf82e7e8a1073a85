import { randomUUID } from 'node:crypto';
import { type Draft, REQUEST_MUTATORS, TOTAL_WEIGHT } from './request.mutators';
import { type FuzzContext, signWebhook, STAFF_ROLES } from './fuzz-context';
import { type Operation, type ParamSpec } from './openapi';
import { type Rng } from './prng';
import { baseline, concrete, pathParamKind } from './values';

/** One generated request and what it is meant to prove. */
export interface FuzzRequest {
  index: number;
  op: Operation;
  who: string;
  mutation: string;
  target?: string;
  /** The input breaks the contract: it must be refused (4xx), a 2xx is a finding. */
  invalid: boolean;
  method: string;
  /** Path and query exactly as sent (already percent-encoded, or deliberately not). */
  url: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

const enc = encodeURIComponent;

function pathValue(rng: Rng, ctx: FuzzContext, op: Operation, p: ParamSpec): string {
  if (p.name === 'token')
    return rng.chance(0.8) ? rng.pick(ctx.patientLinks.valid) : rng.pick(ctx.patientLinks.bad);
  const s = concrete(p.schema);
  if (s.enum?.length) return String(rng.pick(s.enum));
  const kind = pathParamKind(op.path, p.name);
  const pool = kind ? ctx.ids[kind] : [];
  return pool.length && rng.chance(0.9) ? rng.pick(pool) : randomUUID();
}

function queryValue(
  rng: Rng,
  ctx: FuzzContext,
  op: Operation,
  p: ParamSpec,
  path: Record<string, string>,
): string {
  if (op.path.endsWith('.ics') && (p.name === 'sig' || p.name === 'exp')) return ctx.feed[p.name];
  if (p.name === 'from' || p.name === 'after')
    return new Date(Date.now() - rng.int(0, 3) * 86_400_000).toISOString();
  if (p.name === 'to' || p.name === 'before')
    return new Date(Date.now() + rng.int(1, 14) * 86_400_000).toISOString();
  if (p.name === 'limit') return String(rng.int(1, 50));
  if (p.name === 'offset') return String(rng.int(0, 20));
  if (p.name === 'q') return rng.pick(['ana', 'Marsh', '7700', 'o']);
  void path;
  return String(baseline(p.schema, p.name, rng, ctx.ids));
}

/** A well-formed request for `op` as `who`, before any mutation. */
function draft(rng: Rng, ctx: FuzzContext, op: Operation): Draft {
  const path: Record<string, string> = {};
  for (const p of op.params.filter((x) => x.in === 'path'))
    path[p.name] = enc(pathValue(rng, ctx, op, p));
  if (op.path.endsWith('.ics') && rng.chance(0.7)) path.id = ctx.feed.practitionerId;
  // Destructive calls stay off the streaming session, so later telemetry still reaches validation.
  if (op.method !== 'GET' && Object.values(path).some((v) => ctx.protectedIds.has(v))) {
    for (const [k, v] of Object.entries(path)) if (ctx.protectedIds.has(v)) path[k] = randomUUID();
  }
  const query: [string, string][] = op.params
    .filter((p) => p.in === 'query' && (p.required || rng.chance(0.5)))
    .map((p) => [p.name, enc(queryValue(rng, ctx, op, p, path))]);
  const headers: Record<string, string> = {};
  let who = 'public';
  if (op.auth === 'bearer') {
    // Most writes are admin-only and guards answer 403 before validation: admin gets half the requests.
    who = rng.chance(0.5) ? 'admin' : rng.pick(STAFF_ROLES);
    headers.authorization = `Bearer ${ctx.tokens[who as (typeof STAFF_ROLES)[number]]}`;
  } else if (op.auth === 'device') {
    who = 'device';
    headers.authorization = `Device ${ctx.deviceKey}`;
  }
  let body: string | undefined;
  if (op.body) {
    body = JSON.stringify(baseline(op.body, '', rng, ctx.ids));
    headers['content-type'] = 'application/json';
  } else if (op.method === 'POST' && rng.chance(0.5)) {
    body = '{}';
    headers['content-type'] = 'application/json';
  }
  if (op.key === 'POST /api/v1/webhooks/sms')
    body = JSON.stringify({
      messageId: `fz-${rng.int(1, 1e9)}`,
      from: rng.pick(ctx.phones),
      to: '+447700900000',
      text: rng.pick(['C', 'YES', 'R', 'HELP', 'hello']),
    });
  return {
    path,
    query,
    headers,
    body,
    mutation: 'baseline',
    invalid: false,
    method: op.method,
    who,
  };
}

/** The `index`-th request: a baseline (1 in 10) or one mutation of it. */
export function buildRequest(
  rng: Rng,
  ctx: FuzzContext,
  op: Operation,
  index: number,
): FuzzRequest {
  const d = draft(rng, ctx, op);
  if (!rng.chance(0.1)) {
    for (let attempt = 0; attempt < 10; attempt++) {
      let roll = rng.next() * TOTAL_WEIGHT;
      const mutator =
        REQUEST_MUTATORS.find(([w]) => (roll -= w) < 0)?.[1] ?? REQUEST_MUTATORS[0]![1];
      if (mutator(rng, ctx, op, d)) break;
    }
  }
  // Only the webhook's own method is signed: a preflight (OPTIONS) or another method carries no
  // signature by design, so tampering with one is not invalid input.
  if (op.auth === 'signature' && d.method === op.method) signOrTamper(rng, ctx, d);
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => d.path[name] ?? '');
  const query = d.query.map(([k, v]) => `${k}=${v}`).join('&');
  return {
    index,
    op,
    who: d.who,
    mutation: d.mutation,
    target: d.target,
    invalid: d.invalid,
    method: d.method,
    url: query ? `${url}?${query}` : url,
    query,
    headers: d.headers,
    body: d.body,
  };
}

/** Webhooks: usually a valid signature over the exact bytes (so the body is validated), else a broken one. */
function signOrTamper(rng: Rng, ctx: FuzzContext, d: Draft): void {
  const raw = d.body ?? '';
  const roll = rng.next();
  if (roll < 0.75) d.headers['x-tautline-signature'] = signWebhook(ctx.webhookSecret, raw);
  else {
    const variants: [string, string | undefined][] = [
      ['missing', undefined],
      ['stale', signWebhook(ctx.webhookSecret, raw, Math.floor(Date.now() / 1000) - 3600)],
      ['wrong-secret', signWebhook('not-the-secret-not-the-secret-not-the', raw)],
      [
        'malformed',
        rng.pick(['t=abc,v1=zz', 'garbage', 't=,v1=', `t=${'9'.repeat(40)},v1=${'a'.repeat(64)}`]),
      ],
    ];
    const [label, value] = rng.pick(variants);
    if (value === undefined) delete d.headers['x-tautline-signature'];
    else d.headers['x-tautline-signature'] = value;
    Object.assign(d, { mutation: `signature.${label}`, invalid: true, who: 'intruder' });
  }
}
