import { type Mutator } from './body.mutator';
import { SHAPE_MUTATORS } from './body.shape-mutators';
import { VALUE_MUTATORS } from './body.value-mutators';
import { RawTokens, slotsOf } from './json-tree';
import { type JsonSchema } from './openapi';
import { type Rng } from './prng';

/** A mutated body: the bytes, their content type, and whether the contract forbids them (a 2xx is then a finding). */
export interface BodyMutation {
  mutation: string;
  target?: string;
  raw: string;
  contentType?: string;
  invalid: boolean;
}

const MUTATORS: Record<string, Mutator> = { ...VALUE_MUTATORS, ...SHAPE_MUTATORS };

const RAW_BODIES: [string, string][] = [
  ['truncated', '{"a":'],
  ['trailing-comma', '{"a":1,}'],
  ['single-quotes', "{'a':1}"],
  ['bad-escape', '{"a":"\\x41"}'],
  ['lone-surrogate', '{"a":"\\ud800"}'],
  ['empty', ''],
  ['whitespace', '   '],
  ['proto', '{"__proto__":{"isAdmin":true}}'],
  ['constructor', '{"constructor":{"prototype":{"isAdmin":true}}}'],
  ['nul-byte', '{"a":"\u0000"}'],
  ['garbage', '\u0000\u0001\u00ff'],
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/jsonx',
  'application/json, text/plain',
];

/** One mutation of a valid-ish body, chosen by `rng`. */
export function mutateBody(rng: Rng, schema: JsonSchema, base: unknown): BodyMutation {
  const roll = rng.next();
  if (roll < 0.1) {
    const [name, raw] = rng.pick(RAW_BODIES);
    return { mutation: `body.invalid-json ${name}`, raw, invalid: true };
  }
  if (roll < 0.17) {
    const contentType = rng.pick(CONTENT_TYPES);
    // A charset parameter on application/json is tolerated (the bytes are UTF-8 JSON either way).
    return {
      mutation: `body.content-type ${contentType}`,
      raw: JSON.stringify(base),
      contentType,
      invalid: !contentType.startsWith('application/json;'),
    };
  }
  if (roll < 0.2)
    return {
      mutation: 'body.too-large',
      raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
      invalid: true,
    };
  const slots = slotsOf(base, schema);
  const names = Object.keys(MUTATORS);
  for (let attempt = 0; attempt < 8; attempt++) {
    const raw = new RawTokens();
    const picked = MUTATORS[rng.pick(names)]!(rng, base, slots, raw);
    if (picked)
      return {
        mutation: `body.${picked.mutation}`,
        target: picked.target,
        raw: raw.stringify(picked.value),
        invalid: picked.invalid,
      };
  }
  return { mutation: 'body.root-type', raw: '[]', invalid: true };
}
