import { type FuzzContext } from './fuzz-context';
import { type Operation } from './openapi';
import { type FuzzRequest } from './request.builder';

/**
 * The bad inputs issue 10 names, sent every run whatever the seed draws: each must be a 4xx
 * problem (never a 500, never accepted, never echoing NUL or the query string).
 */
export function namedCases(ctx: FuzzContext, operations: Operation[]): FuzzRequest[] {
  const admin = { authorization: `Bearer ${ctx.tokens.admin}` };
  const json = { ...admin, 'content-type': 'application/json' };
  const room = ctx.ids.room[0]!;
  const clinic = ctx.ids.clinic[0]!;
  const practitioner = ctx.ids.practitioner[0]!;
  const cases: [string, string, string, Record<string, string>, string?][] = [
    [
      'NUL in a free-text field',
      'PATCH',
      `/api/v1/rooms/${room}`,
      json,
      JSON.stringify({ name: 'Room\u00007' }),
    ],
    [
      'a date at year 9999',
      'POST',
      `/api/v1/clinics/${clinic}/closures`,
      json,
      JSON.stringify({ date: '9999-12-31', reason: 'far' }),
    ],
    [
      'instants at year 0000 and +275760',
      'POST',
      `/api/v1/practitioners/${practitioner}/availability-exceptions`,
      json,
      JSON.stringify({
        clinicId: clinic,
        kind: 'time_off',
        start: '0000-01-01T00:00:00Z',
        end: '+275760-09-13T00:00:00Z',
      }),
    ],
    [
      'from after to',
      'GET',
      `/api/v1/appointments?from=2026-07-01T00:00:00Z&to=2026-06-01T00:00:00Z&clinicId=${clinic}`,
      admin,
    ],
    ['bad percent-encoding in the path', 'GET', '/api/v1/rooms/%zz', admin],
    [
      'bad percent-encoding in the query',
      'GET',
      `/api/v1/appointments?from=%zz&to=2026-06-01T00:00:00Z`,
      admin,
    ],
    [
      'a path parameter longer than 256 characters',
      'GET',
      `/api/v1/rooms/${'a'.repeat(300)}`,
      admin,
    ],
    ['a huge header', 'GET', '/api/v1/clinics', { ...admin, 'x-fuzz': 'h'.repeat(20_000) }],
    [
      'an unknown body field',
      'POST',
      `/api/v1/clinics/${clinic}/rooms`,
      json,
      JSON.stringify({ name: 'Room 9', fuzzExtra: true }),
    ],
    [
      'an email nested 20,000 arrays deep',
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json' },
      `{"email":${'['.repeat(20_000)}1${']'.repeat(20_000)},"password":"x"}`,
    ],
    [
      'an unsigned SMS webhook',
      'POST',
      '/api/v1/webhooks/sms',
      { 'content-type': 'application/json' },
      JSON.stringify({ messageId: 'm1', from: ctx.phones[0], to: '+447700900000', text: 'STOP' }),
    ],
    ['a malformed patient link', 'GET', '/api/v1/patient-links/not-a-token', {}],
    [
      'a NUL byte in a public path',
      'GET',
      '/api/v1/calendar-feeds/practitioners/%00.ics?sig=00&exp=1',
      {},
    ],
  ];
  const fallback = operations[0]!;
  return cases.map(([mutation, method, url, headers, body], i) => {
    const path = url.split('?')[0]!;
    const op =
      operations.find(
        (o) =>
          o.method === method && new RegExp(`^${o.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
      ) ?? fallback;
    return {
      index: -1 - i,
      op,
      who: headers.authorization ? 'admin' : 'public',
      mutation,
      invalid: true,
      method,
      url,
      query: url.split('?')[1] ?? '',
      headers,
      body,
    };
  });
}
