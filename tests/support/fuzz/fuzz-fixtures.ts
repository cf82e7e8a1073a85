import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { randomBytes, randomUUID } from 'node:crypto';
import { type ApiClient, book, gridStartAfter, openExtraHours, signIn } from '../booking-client';
import { sendTelemetry, startRunningSession } from '../estim-visit';
import { type Stack } from '../stack';
import {
  type BadAuthorization,
  type FuzzContext,
  signJwt,
  STAFF_ROLES,
  type StaffRole,
} from './fuzz-context';
import { type IdPools } from './values';

export interface FixtureSecrets {
  jwtSecret: string;
  webhookSecret: string;
}

/**
 * Real records of every kind the API names in a path, created through the API (a running e-stim
 * session, appointments in two clinics, devices, availability, a closure, an alert), plus the links,
 * tokens and keys the public and device routes take.
 */
export async function buildFuzzContext(
  stack: Stack,
  secrets: FixtureSecrets,
): Promise<FuzzContext> {
  const clients = Object.fromEntries(
    await Promise.all(
      STAFF_ROLES.map(async (r) => [r, await signIn(stack.apiUrl, `${r}@tautline.test`)] as const),
    ),
  ) as Record<StaffRole, ApiClient>;
  const { admin, scheduler, supervisor } = clients;
  const demo = stack.demo;
  const clinic = (slug: string) => demo.clinicIds[slug]!;
  const london = clinic('london-bridge');
  const newYork = clinic('new-york-chelsea');
  const type = (name: string) => demo.appointmentTypeIds[name]!;
  const practitioner = (name: string) => demo.practitionerIds[name]!;
  const sql = async (q: string, v: unknown[] = []) =>
    (await stack.db.dataSource.query(q, v)) as Record<string, string>[];
  const patientOf = async (slug: string, skip: number) =>
    (
      await sql(
        `SELECT p.id FROM patients p JOIN clinics c ON c.id = p.clinic_id WHERE c.slug = $1 ORDER BY p.given_name OFFSET $2 LIMIT 1`,
        [slug, skip],
      )
    )[0]!.id!;

  const live = await startRunningSession(
    { admin, scheduler, clinician: supervisor },
    {
      clinicId: london,
      patientId: demo.patientIds['Olivia Marsh']!,
      practitionerId: practitioner('Eleanor Whitcombe'),
      estimTypeId: type('Dry needling + e-stim 45 min'),
    },
  );
  // An over-ceiling sample raises an alert, so /alerts/{id} has a real id.
  await sendTelemetry(stack.apiUrl, live.deviceKey, [
    {
      seq: 1,
      at: new Date().toISOString(),
      batteryPct: 90,
      channels: [
        { channel: 1, intensityMa: 30, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 1500 },
      ],
    },
  ]);

  const londonVisit = await book(scheduler, {
    clinicId: london,
    patientId: demo.patientIds['Kwame Mensah']!,
    practitionerId: practitioner('Eleanor Whitcombe'),
    appointmentTypeId: type('Dry needling 30 min'),
    start: gridStartAfter(2 * 3_600_000),
  });
  await openExtraHours(admin, practitioner('Pat Practitioner'), newYork);
  const newYorkVisit = await book(admin, {
    clinicId: newYork,
    patientId: await patientOf('new-york-chelsea', 0),
    practitionerId: practitioner('Pat Practitioner'),
    appointmentTypeId: type('Dry needling 30 min'),
    start: gridStartAfter(3 * 3_600_000),
  });

  const device = async () => {
    const res = await admin.call<{ id: string; key: string }>(
      'POST',
      `/clinics/${london}/devices`,
      {
        serial: `FZ-${randomBytes(4).toString('hex')}`,
        model: 'Tautline Stim 4',
        firmware: '2.3.1',
        channels: 4,
      },
    );
    if (res.status !== 201)
      throw new Error(`device refused: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const spare = await device();
  const revoked = await device();
  await admin.call('POST', `/devices/${revoked.id}/revoke`, {});
  await admin.call('POST', `/practitioners/${practitioner('Rhys Calloway')}/availability-rules`, {
    clinicId: london,
    weekday: 6,
    start: '09:00',
    end: '12:00',
    effectiveFrom: new Date().toISOString().slice(0, 10),
  });
  await admin.call('POST', `/clinics/${newYork}/closures`, {
    date: `${new Date().getUTCFullYear() + 1}-12-25`,
    reason: 'Christmas Day',
  });

  const feed = await admin.call<{ url: string }>(
    'GET',
    `/practitioners/${practitioner('Eleanor Whitcombe')}/calendar-feed`,
  );
  const feedUrl = new URL(feed.body.url, stack.apiUrl);

  const signer = new PatientLinkSigner(secrets.jwtSecret);
  const validLink = (id: string, start: string) =>
    signer.sign({ appointmentId: id, exp: patientLinkExpiry(new Date(start)) });
  const londonLink = validLink(londonVisit.id, londonVisit.start);
  const now = Math.floor(Date.now() / 1000);

  const column = async (table: string) =>
    (await sql(`SELECT id FROM ${table} ORDER BY id LIMIT 20`)).map((r) => r.id!);
  const ids: IdPools = {
    clinic: Object.values(demo.clinicIds),
    room: Object.values(demo.roomIds),
    practitioner: Object.values(demo.practitionerIds),
    appointmentType: Object.values(demo.appointmentTypeIds),
    patient: Object.values(demo.patientIds),
    appointment: [londonVisit.id, newYorkVisit.id, live.appointmentId],
    availabilityRule: await column('availability_rules'),
    availabilityException: await column('availability_exceptions'),
    closure: await column('clinic_closures'),
    device: [spare.id, revoked.id, live.deviceId],
    session: [live.sessionId],
    alert: await column('alerts'),
  };
  const adminClaims = {
    sub: demo.userIds['admin@tautline.test'],
    org: demo.organisationId,
    role: 'admin',
  };
  const jwt = (claims: Record<string, unknown>) =>
    signJwt(secrets.jwtSecret, { iat: now, exp: now + 600, ...claims });
  const badAuthorizations: BadAuthorization[] = [
    { label: 'missing', value: '' },
    { label: 'garbage', value: 'Bearer garbage' },
    { label: 'empty-bearer', value: 'Bearer ' },
    { label: 'basic', value: 'Basic YWRtaW46eA==' },
    { label: 'device-key', value: `Device ${spare.key}` },
    { label: 'tampered', value: `Bearer ${clients.admin.token.slice(0, -3)}abc` },
    {
      label: 'alg-none',
      value: `Bearer ${clients.admin.token
        .split('.')
        .slice(0, 2)
        .join('.')
        .replace(/^[^.]+/, Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'))}.`,
    },
    {
      label: 'expired',
      value: `Bearer ${jwt({ ...adminClaims, iat: now - 7200, exp: now - 3600 })}`,
    },
    { label: 'unknown-user', value: `Bearer ${jwt({ ...adminClaims, sub: randomUUID() })}` },
    { label: 'other-organisation', value: `Bearer ${jwt({ ...adminClaims, org: randomUUID() })}` },
    { label: 'unknown-role', value: `Bearer ${jwt({ ...adminClaims, role: 'root' })}` },
    {
      label: 'malformed-claims',
      value: `Bearer ${jwt({ sub: 'x\u0000', org: 42, role: ['admin'] })}`,
    },
    { label: 'huge-token', value: `Bearer ${'a'.repeat(8000)}` },
  ];
  const badDeviceAuthorizations: BadAuthorization[] = [
    { label: 'missing', value: '' },
    { label: 'unknown-key', value: `Device tld_${randomBytes(32).toString('base64url')}` },
    { label: 'empty-key', value: 'Device ' },
    { label: 'revoked-key', value: `Device ${revoked.key}` },
    { label: 'staff-token', value: `Bearer ${clients.supervisor.token}` },
    { label: 'long-key', value: `Device ${live.deviceKey}${'x'.repeat(5000)}` },
  ];
  const phones = (await sql(`SELECT phone FROM patients WHERE phone IS NOT NULL LIMIT 10`)).map(
    (r) => r.phone!,
  );
  return {
    ids,
    protectedIds: new Set([live.sessionId, live.deviceId, live.appointmentId]),
    tokens: Object.fromEntries(STAFF_ROLES.map((r) => [r, clients[r].token])) as Record<
      StaffRole,
      string
    >,
    badAuthorizations,
    deviceKey: live.deviceKey,
    badDeviceAuthorizations,
    patientLinks: {
      valid: [londonLink, validLink(newYorkVisit.id, newYorkVisit.start)],
      bad: [
        `${londonLink.slice(0, -2)}xx`,
        signer.sign({ appointmentId: londonVisit.id, exp: now - 60 }),
        signer.sign({ appointmentId: randomUUID(), exp: now + 3600 }),
        new PatientLinkSigner('another-secret-another-secret-another').sign({
          appointmentId: londonVisit.id,
          exp: now + 3600,
        }),
        'not-a-token',
      ],
    },
    feed: {
      practitionerId: practitioner('Eleanor Whitcombe'),
      sig: feedUrl.searchParams.get('sig') ?? '',
      exp: feedUrl.searchParams.get('exp') ?? '',
    },
    webhookSecret: secrets.webhookSecret,
    phones: phones.length ? phones : ['+447700900123'],
  };
}
