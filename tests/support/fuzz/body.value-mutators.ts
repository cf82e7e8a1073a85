import { BAD_DATES, BAD_INSTANTS, BAD_UUIDS, CONTROL } from './bad-values';
import { pathName } from './json-tree';
import { allowedTypes, concrete, isDate, isDateTime, isUuid } from './values';
import { isString, leaf, type Mutator, set, valueOfOtherType } from './body.mutator';

/** Mutations of one value: wrong types, control characters, sizes, numbers, dates, ids, zones. */
export const VALUE_MUTATORS: Record<string, Mutator> = {
  'wrong-type': (rng, root, slots) => {
    const slot = rng.pick(slots.filter((s) => allowedTypes(s.schema).size > 0));
    const value = valueOfOtherType(rng, slot.schema, slot.path.length === 0);
    return value === undefined
      ? undefined
      : {
          mutation: 'wrong-type',
          target: pathName(slot.path),
          value: set(root, slot.path, value),
          invalid: true,
        };
  },
  'control-char': (rng, root, slots) => {
    const strings = leaf(slots, isString);
    if (!strings.length) return undefined;
    const slot = rng.pick(strings);
    // NUL most often: PostgreSQL cannot store it, so it is the one that reaches a 500.
    const c = rng.chance(0.5) ? '\u0000' : rng.pick(CONTROL);
    const text = String(slot.value);
    const at = rng.int(0, text.length);
    return {
      mutation: `control-char U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      target: pathName(slot.path),
      value: set(root, slot.path, text.slice(0, at) + c + text.slice(at)),
      invalid: true,
    };
  },
  'long-string': (rng, root, slots) => {
    const strings = leaf(slots, isString);
    if (!strings.length) return undefined;
    const slot = rng.pick(strings);
    const max = concrete(slot.schema).maxLength;
    const length = rng.pick([Math.max((max ?? 255) + 1, 257), 10_000, 300_000]);
    return {
      mutation: `long-string ${length}`,
      target: pathName(slot.path),
      value: set(root, slot.path, 'é'.repeat(length)),
      invalid: max !== undefined || length > 10_000,
    };
  },
  'bad-number': (rng, root, slots, raw) => {
    const numbers = leaf(
      slots,
      (s) => typeof s.value === 'number' || allowedTypes(s.schema).has('number'),
    );
    if (!numbers.length) return undefined;
    const slot = rng.pick(numbers);
    const s = concrete(slot.schema);
    const candidates: [string, unknown, boolean][] = [
      [
        'below-minimum',
        (s.minimum ?? s.exclusiveMinimum ?? 0) - 1,
        s.minimum !== undefined || s.exclusiveMinimum !== undefined,
      ],
      [
        'above-maximum',
        (s.maximum ?? s.exclusiveMaximum ?? 1e6) + 1,
        s.maximum !== undefined || s.exclusiveMaximum !== undefined,
      ],
      ['fraction', 1.5, allowedTypes(s).has('integer') && !(s.type === 'number')],
      ['1e308', 1e308, s.maximum !== undefined],
      ['-1e308', -1e308, true],
      ['2^53+1', raw.token('9007199254740993'), s.maximum !== undefined],
      ['1e999', raw.token('1e999'), true],
      ['-0', raw.token('-0'), false],
      ['NaN', raw.token('NaN'), true],
      ['numeric-string', '5', true],
    ];
    const [name, value, invalid] = rng.pick(candidates);
    return {
      mutation: `bad-number ${name}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid,
    };
  },
  'bad-date': (rng, root, slots) => {
    const dates = leaf(slots, (s) => isDateTime(concrete(s.schema)) || isDate(concrete(s.schema)));
    if (!dates.length) return undefined;
    const slot = rng.pick(dates);
    // The first three of each list (years 0000, 9999, +275760) are the ones databases and date libraries choke on.
    const list = isDate(concrete(slot.schema)) ? BAD_DATES : BAD_INSTANTS;
    const value = rng.pick(rng.chance(0.5) ? list.slice(0, 3) : list);
    return {
      mutation: `bad-date ${value || '(empty)'}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid: true,
    };
  },
  'bad-uuid': (rng, root, slots) => {
    const uuids = leaf(slots, (s) => isUuid(concrete(s.schema)));
    if (!uuids.length) return undefined;
    const slot = rng.pick(uuids);
    const value = rng.pick(BAD_UUIDS);
    return {
      mutation: `bad-uuid ${value}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid: true,
    };
  },
  'extreme-number': (rng, root, slots) => {
    // Valid by the schema, but at its edges: large values reach integer columns and date arithmetic.
    const numbers = leaf(slots, (s) => typeof s.value === 'number');
    if (!numbers.length) return undefined;
    const slot = rng.pick(numbers);
    const s = concrete(slot.schema);
    const edges = [
      s.maximum,
      s.minimum,
      s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1e-9 : undefined,
      s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1e-9 : undefined,
    ].filter((v): v is number => v !== undefined);
    const value = edges.length ? rng.pick(edges) : rng.pick([2_147_483_648, 1e15, 0]);
    return {
      mutation: `extreme-number ${value}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid: !edges.length && value > 1e9,
    };
  },
  'odd-text': (rng, root, slots) => {
    // Valid text that trips naive code: 4-byte characters at the length limit, lone surrogates, bidi and zero-width marks.
    const strings = leaf(
      slots,
      (s) =>
        isString(s) &&
        !isUuid(concrete(s.schema)) &&
        !isDateTime(concrete(s.schema)) &&
        !isDate(concrete(s.schema)),
    );
    if (!strings.length) return undefined;
    const slot = rng.pick(strings);
    const max = concrete(slot.schema).maxLength ?? 100;
    const value = rng.pick([
      '\u{1F600}'.repeat(max),
      '\ud800x',
      '\u202eevil',
      'a\u200bb',
      ' ',
      '%s%n',
      '${jndi:x}',
      '<script>1</script>',
      "'; DROP TABLE x; --",
    ]);
    return {
      mutation: `odd-text ${JSON.stringify(value.slice(0, 12))}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid: false,
    };
  },
  'bad-zone-or-duration': (rng, root, slots) => {
    const named = leaf(
      slots,
      (s) =>
        isString(s) &&
        /^(timeZone|offsets)$/.test(String(s.path.filter((p) => typeof p === 'string').pop())),
    );
    if (!named.length) return undefined;
    const slot = rng.pick(named);
    const zone = String(slot.path.filter((p) => typeof p === 'string').pop()) === 'timeZone';
    const value = rng.pick(
      zone
        ? ['Mars/Olympus_Mons', 'UTC+25', 'Etc/GMT+99', '', 'europe/london', 'Local']
        : ['P1000Y', 'PT0S', '-PT1H', 'P', 'PT99999999H', 'P1D2', 'soon'],
    );
    return {
      mutation: `bad-${zone ? 'zone' : 'duration'} ${value || '(empty)'}`,
      target: pathName(slot.path),
      value: set(root, slot.path, value),
      invalid: [
        'Mars/Olympus_Mons',
        'UTC+25',
        'Etc/GMT+99',
        '',
        'Local',
        'P',
        'P1D2',
        'soon',
      ].includes(value),
    };
  },
};
