import { randomUUID } from 'node:crypto';
import { mutateBody } from './body.mutations';
import { BAD_DATES, BAD_INSTANTS, BAD_PERCENT, BAD_SEGMENTS, BAD_UUIDS } from './bad-values';
import { type FuzzContext } from './fuzz-context';
import { type Operation, type ParamSpec } from './openapi';
import { type Rng } from './prng';
import { concrete, isDate, isDateTime, isUuid } from './values';

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const enc = encodeURIComponent;

/** A request being generated: path parameters and query already percent-encoded. */
export interface Draft {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
  mutation: string;
  target?: string;
  invalid: boolean;
  method: string;
  who: string;
}

/** A value of the same family that breaks the contract, for a query or path parameter. */
function badParamValue(rng: Rng, p: ParamSpec): { label: string; raw: string; invalid: boolean } {
  const s = concrete(p.schema);
  const pickEnc = (list: string[]) => {
    const v = rng.pick(list);
    return { label: v || '(empty)', raw: enc(v), invalid: true };
  };
  const roll = rng.next();
  if (roll < 0.15)
    return { label: 'control-char U+0000', raw: `${enc('x')}%00${enc('y')}`, invalid: true };
  if (roll < 0.25) {
    const v = rng.pick(BAD_PERCENT);
    // Query decoding is lenient (the text stays as sent): only a 5xx or a bad error format is a finding.
    return { label: `bad-percent ${v}`, raw: v, invalid: false };
  }
  if (roll < 0.32) return { label: 'long 5000', raw: 'q'.repeat(5000), invalid: true };
  if (isDateTime(s) || p.name === 'from' || p.name === 'to') return pickEnc(BAD_INSTANTS);
  if (isDate(s)) return pickEnc(BAD_DATES);
  if (isUuid(s) || /Id$/.test(p.name)) return pickEnc(BAD_UUIDS);
  if (s.type === 'integer' || s.type === 'number' || p.name === 'limit' || p.name === 'offset')
    return pickEnc(['-1', '1e999', 'NaN', '1.5', '99999999999999999999', 'ten', '']);
  if (s.enum) return pickEnc(['UNKNOWN', '', String(s.enum[0]).toUpperCase() + 'x']);
  return { label: 'control-char U+001b', raw: `${enc('a')}%1B`, invalid: true };
}

type Mutator = (rng: Rng, ctx: FuzzContext, op: Operation, d: Draft) => boolean;

const queryParams = (op: Operation) => op.params.filter((p) => p.in === 'query');

/** Weighted ways to break a request: body, query, path, credentials, headers, method. */
export const REQUEST_MUTATORS: [number, Mutator][] = [
  [
    40,
    (rng, _ctx, op, d) => {
      if (!op.body || d.body === undefined) return false;
      const m = mutateBody(rng, op.body, JSON.parse(d.body));
      Object.assign(d, { body: m.raw, mutation: m.mutation, target: m.target, invalid: m.invalid });
      if (m.contentType) d.headers['content-type'] = m.contentType;
      return true;
    },
  ],
  [
    14,
    (rng, _ctx, op, d) => {
      const params = queryParams(op);
      if (!params.length) return false;
      const p = rng.pick(params);
      const bad = badParamValue(rng, p);
      d.query = [...d.query.filter(([k]) => k !== p.name), [p.name, bad.raw]];
      Object.assign(d, {
        mutation:
          `query.${bad.label.split(' ')[0]} ${bad.label.split(' ').slice(1).join(' ')}`.trim(),
        target: p.name,
        invalid: bad.invalid,
      });
      return true;
    },
  ],
  [
    4,
    (rng, _ctx, op, d) => {
      const params = queryParams(op);
      if (!params.length) return false;
      const p = rng.pick(params);
      const value = d.query.find(([k]) => k === p.name)?.[1] ?? 'x';
      d.query.push([p.name, value], [p.name, value]);
      Object.assign(d, { mutation: 'query.duplicated', target: p.name, invalid: true });
      return true;
    },
  ],
  [
    3,
    (_rng, _ctx, op, d) => {
      const from = d.query.find(([k]) => k === 'from');
      const to = d.query.find(([k]) => k === 'to');
      if (
        !queryParams(op).some((p) => p.name === 'from') ||
        !queryParams(op).some((p) => p.name === 'to')
      )
        return false;
      d.query = d.query.filter(([k]) => k !== 'from' && k !== 'to');
      d.query.push(
        ['from', to?.[1] ?? enc('2026-07-01T00:00:00Z')],
        ['to', from?.[1] ?? enc('2026-06-01T00:00:00Z')],
      );
      if (!to || !from)
        d.query = d.query.map(([k, v]) => [
          k,
          k === 'from' ? enc('2026-07-01T00:00:00Z') : k === 'to' ? enc('2026-06-01T00:00:00Z') : v,
        ]);
      Object.assign(d, { mutation: 'query.from-after-to', target: 'from,to', invalid: true });
      return true;
    },
  ],
  [
    3,
    (rng, _ctx, _op, d) => {
      d.query.push([
        rng.pick(['fuzz', 'clinicId[]', '__proto__', 'constructor']),
        rng.pick(['1', '%zz', 'x%00']),
      ]);
      Object.assign(d, { mutation: 'query.unknown-param', invalid: false });
      return true;
    },
  ],
  [
    12,
    (rng, _ctx, op, d) => {
      const params = op.params.filter((p) => p.in === 'path');
      if (!params.length) return false;
      const p = rng.pick(params);
      const roll = rng.next();
      const [label, raw, invalid] =
        roll < 0.3
          ? ['random-uuid', randomUUID(), false]
          : roll < 0.45
            ? ['too-long 300', 'a'.repeat(300), true]
            : roll < 0.65
              ? (() => {
                  const v = rng.pick(BAD_PERCENT);
                  return [`bad-percent ${v}`, v, true] as const;
                })()
              : (() => {
                  const v = rng.pick(BAD_SEGMENTS);
                  return [`malformed ${v.slice(0, 40)}`, v, !/^[0-9A-F-]{36}$/.test(v)] as const;
                })();
      d.path[p.name] = raw;
      Object.assign(d, { mutation: `path.${label}`, target: p.name, invalid });
      return true;
    },
  ],
  [
    5,
    (rng, ctx, op, d) => {
      if (op.auth === 'public') return false;
      const bad =
        op.auth === 'device'
          ? rng.pick(ctx.badDeviceAuthorizations)
          : op.auth === 'bearer'
            ? rng.pick(ctx.badAuthorizations)
            : undefined;
      if (bad === undefined) return false;
      if (bad.value === '') delete d.headers.authorization;
      else d.headers.authorization = bad.value;
      Object.assign(d, { mutation: `auth.${bad.label}`, who: 'intruder', invalid: true });
      return true;
    },
  ],
  [
    3,
    (rng, _ctx, _op, d) => {
      const size = rng.pick([20_000, 70_000]);
      d.headers[rng.pick(['x-fuzz', 'cookie', 'referer'])] = 'h'.repeat(size);
      Object.assign(d, { mutation: `header.huge ${size}`, invalid: true });
      return true;
    },
  ],
  [
    3,
    (rng, _ctx, op, d) => {
      if (!op.params.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) return false;
      d.headers['idempotency-key'] = rng.pick([
        '',
        'k'.repeat(5000),
        'clé-ünïcode',
        ' ',
        randomUUID(),
      ]);
      Object.assign(d, { mutation: 'header.idempotency-key', invalid: false });
      return true;
    },
  ],
  [
    3,
    (rng, _ctx, _op, d) => {
      // Headers a proxy or an odd client sends: encodings nobody decodes, forwarded values that are not addresses.
      const [name, value] = rng.pick([
        ['content-encoding', 'gzip'],
        ['content-encoding', 'br, compress'],
        ['accept', 'application/xml'],
        ['accept-charset', 'utf-7'],
        ['x-forwarded-for', 'not-an-ip, 999.1.1.1'],
        ['x-forwarded-host', 'evil.example:99999'],
        ['x-forwarded-proto', 'gopher'],
        ['origin', 'null'],
        ['expect', '100-continue'],
      ] as const);
      d.headers[name] = value;
      Object.assign(d, { mutation: `header.${name} ${value}`, invalid: false });
      return true;
    },
  ],
  [
    2,
    (rng, _ctx, _op, d) => {
      const size = rng.pick([9_000, 40_000]);
      d.query.push(['pad', 'p'.repeat(size)]);
      // Past Node's 16 KiB header limit the request must be refused (431); below it the pad is an unknown, ignored parameter.
      Object.assign(d, { mutation: `url.very-long ${size}`, invalid: size > 16_384 });
      return true;
    },
  ],
  [
    2,
    (rng, _ctx, op, d) => {
      const others = ALL_METHODS.filter((m) => m !== op.method);
      d.method = rng.pick(others);
      Object.assign(d, { mutation: `method.${d.method}`, invalid: false });
      return true;
    },
  ],
];

export const TOTAL_WEIGHT = REQUEST_MUTATORS.reduce((n, [w]) => n + w, 0);
