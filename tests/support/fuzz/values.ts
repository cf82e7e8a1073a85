import { randomUUID } from 'node:crypto';
import { type JsonSchema } from './openapi';
import { type Rng } from './prng';

export type IdKind =
  | 'clinic'
  | 'room'
  | 'practitioner'
  | 'appointmentType'
  | 'patient'
  | 'appointment'
  | 'availabilityRule'
  | 'availabilityException'
  | 'closure'
  | 'device'
  | 'session'
  | 'alert';

/** Real ids of the test's database, so generated requests reach past "not found" into the handlers. */
export type IdPools = Record<IdKind, string[]>;

const FIELD_KINDS: Record<string, IdKind> = {
  clinicId: 'clinic',
  clinicIds: 'clinic',
  roomId: 'room',
  practitionerId: 'practitioner',
  appointmentTypeId: 'appointmentType',
  patientId: 'patient',
  ids: 'patient',
  appointmentId: 'appointment',
  sessionId: 'session',
  deviceId: 'device',
};

const SEGMENT_KINDS: Record<string, IdKind> = {
  clinics: 'clinic',
  rooms: 'room',
  practitioners: 'practitioner',
  'appointment-types': 'appointmentType',
  patients: 'patient',
  appointments: 'appointment',
  'availability-rules': 'availabilityRule',
  'availability-exceptions': 'availabilityException',
  closures: 'closure',
  devices: 'device',
  sessions: 'session',
  alerts: 'alert',
};

/** The kind of id a path parameter names, from the segment before it (`/rooms/{id}` → room). */
export function pathParamKind(path: string, param: string): IdKind | undefined {
  const segments = path.split('/');
  const at = segments.findIndex((s) => s.startsWith(`{${param}}`));
  return at > 0 ? SEGMENT_KINDS[segments[at - 1] ?? ''] : undefined;
}

export const fieldKind = (name: string): IdKind | undefined => FIELD_KINDS[name];

/** The types a schema admits, for picking a value of another type. */
export function allowedTypes(schema: JsonSchema): Set<string> {
  const out = new Set<string>();
  const add = (s: JsonSchema) => {
    const t = s.type;
    if (Array.isArray(t)) t.forEach((x) => out.add(x));
    else if (t) out.add(t);
    else if (s.enum) s.enum.forEach((v) => out.add(v === null ? 'null' : typeof v));
    for (const sub of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) add(sub);
  };
  add(schema);
  if (out.has('integer')) out.add('number');
  return out;
}

/** The non-null branch of `anyOf: [X, null]`, or the schema itself. */
export function concrete(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  return branches.find((b) => b.type !== 'null') ?? schema;
}

export const isDateTime = (s: JsonSchema) => s.format === 'date-time';
export const isDate = (s: JsonSchema) => s.format === 'date';
export const isUuid = (s: JsonSchema) =>
  s.format === 'uuid' || /\[1-8\]\[0-9a-fA-F\]\{3\}/.test(s.pattern ?? '');

const FIVE_MINUTES = 5 * 60_000;

/** A 5-minute-grid instant between 1 hour and `days` days ahead. */
export function soonInstant(rng: Rng, days = 7): string {
  const ms = Date.now() + 3_600_000 + rng.next() * days * 86_400_000;
  return new Date(Math.ceil(ms / FIVE_MINUTES) * FIVE_MINUTES).toISOString();
}

/**
 * A value the schema would accept (or nearly: ids are real but may belong to a clinic the caller
 * cannot see), so that mutations test one thing at a time.
 */
export function baseline(
  schema: JsonSchema,
  name: string,
  rng: Rng,
  ids: IdPools,
  depth = 0,
): unknown {
  const s = concrete(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return rng.pick(s.enum);
  if (s.default !== undefined && rng.chance(0.2)) return s.default;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        if ((s.required ?? []).includes(key) || rng.chance(0.5))
          out[key] = baseline(prop, key, rng, ids, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = s.minItems ?? 0;
      const count = Math.min(s.maxItems ?? min + 2, min + rng.int(0, 2));
      return Array.from({ length: Math.max(min, count) }, () =>
        baseline(s.items ?? {}, name, rng, ids, depth + 1),
      );
    }
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const hi = Math.min(s.maximum ?? lo + 100, lo + 1000);
      return type === 'integer'
        ? rng.int(Math.ceil(lo), Math.floor(hi))
        : Math.round((lo + rng.next() * (hi - lo)) * 10) / 10;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    default:
      return stringBaseline(s, name, rng, ids);
  }
}

function stringBaseline(s: JsonSchema, name: string, rng: Rng, ids: IdPools): string {
  const kind = fieldKind(name);
  if (isUuid(s))
    return kind && ids[kind].length && rng.chance(0.9) ? rng.pick(ids[kind]) : randomUUID();
  if (isDateTime(s)) return soonInstant(rng);
  if (isDate(s)) return soonInstant(rng, 60).slice(0, 10);
  if (s.format === 'email') return `fuzz.${rng.int(1, 9999)}@example.test`;
  const pattern = s.pattern ?? '';
  if (pattern.includes(':[0-5]')) return rng.pick(['08:00', '09:30', '12:00', '17:45']);
  if (pattern.includes('#[0-9a-fA-F]')) return '#3366cc';
  if (pattern.includes('[+][1-9]') || name === 'phone' || name === 'from' || name === 'to')
    return `+4477009${rng.int(10000, 99999)}`;
  if (pattern.startsWith('^[A-Za-z0-9._-]')) return `FZ-${rng.int(1000, 9999)}`;
  if (name === 'timeZone') return rng.pick(['Europe/London', 'America/New_York']);
  if (name === 'offsets') return rng.pick(['P1D', 'PT2H', 'PT30M']);
  const text = rng.pick(['Fuzz', 'Ana García', 'Room 7', 'note: ok', "O'Brien"]);
  const min = s.minLength ?? 0;
  return (text.length < min ? text.padEnd(min, 'x') : text).slice(0, s.maxLength ?? 200);
}
