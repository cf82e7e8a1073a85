import { pathName, REMOVE } from './json-tree';
import { concrete } from './values';
import { type Mutator, set } from './body.mutator';

/** Mutations of a body's shape: fields missing or unknown, ranges reversed, sizes and nesting. */
export const SHAPE_MUTATORS: Record<string, Mutator> = {
  'missing-required': (rng, root, slots) => {
    const parents = slots.filter((s) =>
      (concrete(s.schema).required ?? []).some(
        (k) => s.value && typeof s.value === 'object' && k in s.value,
      ),
    );
    if (!parents.length) return undefined;
    const parent = rng.pick(parents);
    const key = rng.pick(
      (concrete(parent.schema).required ?? []).filter((k) => k in (parent.value as object)),
    );
    // Not marked invalid: some bodies are shared by several actions and need the field for one only.
    return {
      mutation: 'missing-required',
      target: pathName([...parent.path, key]),
      value: set(root, [...parent.path, key], REMOVE),
      invalid: false,
    };
  },
  'unknown-field': (rng, root, slots) => {
    const objects = slots.filter(
      (s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value),
    );
    if (!objects.length) return undefined;
    const slot = rng.pick(objects);
    const name = rng.pick(['fuzzExtra', 'isAdmin', 'organisationId', 'id']);
    return {
      mutation: 'unknown-field',
      target: pathName([...slot.path, name]),
      value: set(root, [...slot.path, name], 'x'),
      invalid: true,
    };
  },
  'from-after-to': (rng, root, slots) => {
    const pairs: [string, string][] = [
      ['start', 'end'],
      ['from', 'to'],
      ['effectiveFrom', 'effectiveTo'],
    ];
    const found = slots.flatMap((s) =>
      pairs
        .filter(
          ([a, b]) =>
            s.value &&
            typeof s.value === 'object' &&
            typeof (s.value as Record<string, unknown>)[a] === 'string' &&
            b in (s.value as object),
        )
        .map((p) => ({ s, p })),
    );
    if (!found.length) return undefined;
    const { s, p } = rng.pick(found);
    // Quiet hours may span midnight (21:00–08:00): there "end before start" is valid.
    if (s.path.includes('quietHours')) return undefined;
    const [a, b] = p;
    const start = String((s.value as Record<string, unknown>)[a]);
    const earlier = /^\d\d:\d\d$/.test(start)
      ? '00:00'
      : /^\d{4}-\d\d-\d\d$/.test(start)
        ? '2026-01-01'
        : Number.isNaN(Date.parse(start))
          ? undefined
          : new Date(Date.parse(start) - 3_600_000).toISOString();
    if (earlier === undefined || earlier >= start) return undefined;
    return {
      mutation: 'from-after-to',
      target: pathName([...s.path, b]),
      value: set(root, [...s.path, b], earlier),
      invalid: true,
    };
  },
  'long-array': (rng, root, slots) => {
    const arrays = slots.filter((s) => Array.isArray(s.value) && (s.value as unknown[]).length > 0);
    if (!arrays.length) return undefined;
    const slot = rng.pick(arrays);
    const max = concrete(slot.schema).maxItems;
    const length = rng.pick([(max ?? 100) + 1, 20_000]);
    const first = (slot.value as unknown[])[0];
    return {
      mutation: `long-array ${length}`,
      target: pathName(slot.path),
      value: set(
        root,
        slot.path,
        Array.from({ length }, () => first),
      ),
      invalid: max !== undefined || length > 10_000,
    };
  },
  'deep-nesting': (rng, root, slots, raw) => {
    const slot = rng.pick(slots);
    const depth = rng.pick([64, 2_000, 20_000]);
    // Built as text: serialising 20,000 levels would overflow this process's own stack.
    const [open, close] = rng.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    const value = raw.token(`${open.repeat(depth)}1${close.repeat(depth)}`);
    return {
      mutation: `deep-nesting ${depth}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid: true,
    };
  },
  'root-type': (rng) => {
    const value = rng.pick([[], 'text', 42, true, [{}]]);
    return { mutation: `root-type ${JSON.stringify(value)}`, value, invalid: true };
  },
  'empty-object': () => ({ mutation: 'empty-object', value: {}, invalid: false }),
};
