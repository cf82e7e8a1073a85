import { type JsonPath, type RawTokens, type Slot, withValue } from './json-tree';
import { type JsonSchema } from './openapi';
import { type Rng } from './prng';
import { allowedTypes } from './values';

/** One way to break a body: the mutated value, or undefined when the body has nothing it applies to. */
export type Mutator = (
  rng: Rng,
  root: unknown,
  slots: Slot[],
  raw: RawTokens,
) => { mutation: string; target?: string; value: unknown; invalid: boolean } | undefined;

export const leaf = (slots: Slot[], test: (s: Slot) => boolean) =>
  slots.filter((s) => s.path.length > 0 && test(s));
export const isString = (s: Slot) => typeof s.value === 'string';
export const set = (root: unknown, path: JsonPath, v: unknown) => withValue(root, path, v);

/** A value of a type the schema does not admit; never `null` for the whole body (a null body reads as no body). */
export function valueOfOtherType(rng: Rng, schema: JsonSchema, root: boolean): unknown {
  const allowed = allowedTypes(schema);
  const options: [string, unknown][] = [
    ['string', rng.pick(['12', 'true', 'null', '[]'])],
    ['number', rng.pick([0, 1, -1, 3.5])],
    ['boolean', rng.chance(0.5)],
    ...(root ? [] : ([['null', null]] as [string, unknown][])),
    ['object', { value: 1 }],
    ['array', [1, 'a']],
  ];
  const other = options.filter(
    ([t]) => !allowed.has(t) && !(t === 'number' && allowed.has('integer')),
  );
  return other.length ? rng.pick(other)[1] : undefined;
}
