/** The slice of an OpenAPI 3 document the fuzzer reads: operations, their parameters and JSON bodies. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
}

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export type Auth = 'bearer' | 'device' | 'signature' | 'public';

export interface Operation {
  method: string;
  /** As documented, e.g. `/api/v1/rooms/{id}`. */
  path: string;
  key: string;
  params: ParamSpec[];
  body?: JsonSchema;
  auth: Auth;
}

interface RawOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Query parameters some GET routes read but the document does not list yet (reported as a doc gap),
 * so the fuzzer still reaches their validation. Taken from the README's API sections.
 */
const UNDOCUMENTED_QUERY: Record<string, Record<string, JsonSchema>> = {
  'GET /api/v1/slots': {
    clinicId: { type: 'string', format: 'uuid' },
    appointmentTypeId: { type: 'string', format: 'uuid' },
    practitionerId: { type: 'string', format: 'uuid' },
    patientId: { type: 'string', format: 'uuid' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    grid: { type: 'integer', enum: [5, 10, 15] },
  },
  'GET /api/v1/appointments': {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    clinicId: { type: 'string', format: 'uuid' },
    roomId: { type: 'string', format: 'uuid' },
    practitionerId: { type: 'string', format: 'uuid' },
    patientId: { type: 'string', format: 'uuid' },
  },
  'GET /api/v1/sessions': {
    clinicId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['ready', 'running', 'paused', 'completed', 'aborted'] },
  },
  'GET /api/v1/sessions/{id}/telemetry': {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    resolution: { type: 'integer', minimum: 100, maximum: 3_600_000 },
  },
  'GET /api/v1/alerts': {
    clinicId: { type: 'string', format: 'uuid' },
    sessionId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] },
    severity: { type: 'string', enum: ['warning', 'critical'] },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
  },
  'GET /api/v1/live/sessions': { clinicId: { type: 'string', format: 'uuid' } },
  'GET /api/v1/clinics/{clinicId}/message-log': {
    limit: { type: 'integer', minimum: 1, maximum: 200 },
  },
};

/** Every operation of the document, with `$ref`s resolved and the undocumented queries added. */
export function operationsOf(doc: OpenApiDocument): { operations: Operation[]; docGaps: string[] } {
  const operations: Operation[] = [];
  const docGaps: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${path}`;
      const params: ParamSpec[] = (raw.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => ({
          name: p.name,
          in: p.in as ParamSpec['in'],
          required: p.required ?? p.in === 'path',
          schema: resolve(doc, p.schema ?? {}),
        }));
      for (const [name, schema] of Object.entries(UNDOCUMENTED_QUERY[key] ?? {})) {
        if (params.some((p) => p.in === 'query' && p.name === name)) continue;
        params.push({ name, in: 'query', required: false, schema });
        docGaps.push(`${key}: query \`${name}\` is not in the OpenAPI document`);
      }
      const json = raw.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        key,
        params,
        body: json ? resolve(doc, json) : undefined,
        auth: authOf(path, raw),
      });
    }
  }
  return { operations, docGaps };
}

function authOf(path: string, raw: RawOperation): Auth {
  if (path === '/api/v1/telemetry') return 'device';
  if (path === '/api/v1/webhooks/sms') return 'signature';
  return raw.security?.length ? 'bearer' : 'public';
}

/** Inlines `#/components/schemas/*` references (depth-limited: the API's schemas are not recursive). */
function resolve(doc: OpenApiDocument, schema: JsonSchema, depth = 0): JsonSchema {
  if (depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc, doc.components?.schemas?.[name] ?? {}, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.items) out.items = resolve(doc, schema.items, depth + 1);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1)]),
    );
  }
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[k];
    if (list) out[k] = list.map((s) => resolve(doc, s, depth + 1));
  }
  return out;
}
