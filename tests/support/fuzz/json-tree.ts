import { type JsonSchema } from './openapi';
import { concrete } from './values';

export type JsonPath = (string | number)[];

/** One node of a generated JSON value with the schema that describes it. */
export interface Slot {
  path: JsonPath;
  schema: JsonSchema;
  value: unknown;
}

/** Every node of `value` (the root included), paired with its schema where the schema knows it. */
export function slotsOf(value: unknown, schema: JsonSchema, path: JsonPath = []): Slot[] {
  const s = concrete(schema);
  const out: Slot[] = [{ path, schema, value }];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...slotsOf(v, s.items ?? {}, [...path, i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      out.push(...slotsOf(v, s.properties?.[k] ?? {}, [...path, k]));
  }
  return out;
}

/** A copy of `root` with the node at `path` replaced (or removed when `value` is `REMOVE`). */
export const REMOVE = Symbol('remove');
export function withValue(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...JsonPath];
  if (Array.isArray(root)) {
    const copy = [...root];
    if (rest.length === 0 && value === REMOVE) copy.splice(Number(head), 1);
    else copy[Number(head)] = withValue(copy[Number(head)], rest, value);
    return copy;
  }
  const copy = { ...(root as Record<string, unknown>) };
  if (rest.length === 0 && value === REMOVE) delete copy[head];
  else copy[head] = withValue(copy[head], rest, value);
  return copy;
}

export const pathName = (path: JsonPath) => (path.length ? path.join('.') : '(root)');

/**
 * Raw JSON tokens JSON.stringify cannot produce (`1e999`, `NaN`, `-0`): a placeholder string in the
 * value, replaced in the serialised text.
 */
export class RawTokens {
  private readonly tokens: string[] = [];

  token(raw: string): string {
    this.tokens.push(raw);
    return `__fuzz_raw_${this.tokens.length - 1}__`;
  }

  stringify(value: unknown): string {
    return JSON.stringify(value).replace(
      /"__fuzz_raw_(\d+)__"/g,
      (_, i: string) => this.tokens[Number(i)] ?? 'null',
    );
  }
}
