import { DEMO_PASSWORD } from '@tautline/db';

const FIVE_MINUTES = 5 * 60_000;

/** A REST client of the running api for whole-system tests, signed in as one demo user. */
export interface ApiClient {
  token: string;
  call<T = unknown>(
    method: string,
    path: string,
    json?: unknown,
  ): Promise<{ status: number; body: T }>;
}

export async function signIn(apiUrl: string, email: string): Promise<ApiClient> {
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`sign-in of ${email} failed: ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return {
    token: accessToken,
    async call(method, path, json) {
      const res = await fetch(`${apiUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
  };
}

/** The first start on the 5-minute grid at least `leadMs` from now. */
export function gridStartAfter(leadMs: number): Date {
  return new Date(Math.ceil((Date.now() + leadMs) / FIVE_MINUTES) * FIVE_MINUTES);
}

/** A policy offset that makes a reminder for `start` due `dueInMs` from now (whole seconds). */
export function offsetDueIn(start: Date, dueInMs: number): string {
  return `PT${Math.round((start.getTime() - Date.now() - dueInMs) / 1000)}S`;
}

/** Extra hours from now on, so a test can book within the hour whatever the clock says. */
export async function openExtraHours(
  admin: ApiClient,
  practitionerId: string,
  clinicId: string,
  hours = 6,
): Promise<void> {
  const res = await admin.call('POST', `/practitioners/${practitionerId}/availability-exceptions`, {
    clinicId,
    kind: 'extra_hours',
    start: new Date(Date.now() - 60_000).toISOString(),
    end: new Date(Date.now() + hours * 3_600_000).toISOString(),
    reason: 'whole-system test',
  });
  if (res.status !== 201)
    throw new Error(`extra hours refused: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Reminders at the given offsets, no quiet hours, no cut-off, no change grace: fast and exact for tests. */
export async function setTestPolicy(
  admin: ApiClient,
  clinicId: string,
  offsets: string[],
): Promise<void> {
  const res = await admin.call('PUT', `/clinics/${clinicId}/reminder-policy`, {
    offsets,
    quietHours: null,
    minimumLeadMinutes: 0,
    changeGraceMinutes: 0,
  });
  if (res.status !== 200)
    throw new Error(`policy refused: ${res.status} ${JSON.stringify(res.body)}`);
}

export interface Booked {
  id: string;
  version: number;
  start: string;
}

export async function book(
  scheduler: ApiClient,
  b: {
    clinicId: string;
    patientId: string;
    practitionerId: string;
    appointmentTypeId: string;
    start: Date;
  },
): Promise<Booked> {
  const res = await scheduler.call<Booked>('POST', '/appointments', {
    ...b,
    start: b.start.toISOString(),
  });
  if (res.status !== 201)
    throw new Error(`booking refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls until `check` answers something truthy. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false | null>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
