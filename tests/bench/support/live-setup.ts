// The measured side's running sessions: `count` stimulator rooms, e-stim qualified practitioners
// and consented patients written with SQL into the stack's database (London Bridge of the demo
// organisation), then each visit as a clinic makes it, through the API: booked, checked in, a
// stimulator registered in its room, the session created (started at its first step).
import { randomBytes } from 'node:crypto';
import { type ApiClient, gridStartAfter, signIn } from '../../support/booking-client';
import { TEST_PLAN } from '../../support/estim-visit';
import { type Stack } from '../../support/stack';
import { inPool, type LiveDevice } from './live-load';

/** Parallel API calls while setting up (the api has a 10-connection pool). */
const SETUP_CONCURRENCY = 6;

export interface MeasuredSessions {
  clinicId: string;
  devices: LiveDevice[];
  clients: { admin: ApiClient; scheduler: ApiClient; supervisor: ApiClient };
  /** Where each session is in its state machine, as this benchmark moved it. */
  status: Map<string, 'ready' | 'running' | 'paused'>;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

function ok<T>(what: string, res: { status: number; body: T }): T {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function provisionMeasuredSessions(
  stack: Stack,
  count: number,
): Promise<MeasuredSessions> {
  const ds = stack.db.dataSource;
  const clinicId = stack.demo.clinicIds['london-bridge']!;
  const [clinic] = (await ds.query(`SELECT organisation_id FROM clinics WHERE id = $1`, [
    clinicId,
  ])) as { organisation_id: string }[];
  const org = clinic!.organisation_id;
  const [type] = (await ds.query(
    `SELECT id FROM appointment_types WHERE organisation_id = $1 AND uses_estim ORDER BY name LIMIT 1`,
    [org],
  )) as { id: string }[];
  const tag = randomBytes(3).toString('hex');

  const roomIds = ids(
    await ds.query(
      `INSERT INTO rooms (organisation_id, clinic_id, name, has_stimulator)
       SELECT $1, $2, 'Bench stim ' || $4 || '-' || n, true FROM generate_series(1, $3::int) n ORDER BY n RETURNING id`,
      [org, clinicId, count, tag],
    ),
  );
  const practitionerIds = ids(
    await ds.query(
      `INSERT INTO practitioners (organisation_id, name, credentials, dry_needling_cert_expires_on, estim_qualified)
       SELECT $1, 'Bench Practitioner ' || n, 'PT', current_date + 365, true FROM generate_series(1, $2::int) n
       ORDER BY n RETURNING id`,
      [org, count],
    ),
  );
  await ds.query(
    `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id) SELECT unnest($1::uuid[]), $2, $3`,
    [practitionerIds, clinicId, org],
  );
  await ds.query(
    `INSERT INTO availability_exceptions (organisation_id, practitioner_id, clinic_id, kind, during, reason)
     SELECT $1, unnest($2::uuid[]), $3, 'extra_hours', tstzrange(now() - interval '1 minute', now() + interval '6 hours'),
            'live telemetry benchmark'`,
    [org, practitionerIds, clinicId],
  );
  const patientIds = ids(
    await ds.query(
      `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, phone, preferred_channel, time_zone)
       SELECT $1, $2, 'Bench' || n, 'Patient', DATE '1980-01-01', '+4477009' || lpad(n::text, 5, '0'), 'sms', 'Europe/London'
         FROM generate_series(1, $3::int) n ORDER BY n RETURNING id`,
      [org, clinicId, count],
    ),
  );
  await ds.query(
    `INSERT INTO patient_consents (patient_id, organisation_id, kind, signed_on, version)
     SELECT p, $2, k, current_date - 1, 'BENCH-1' FROM unnest($1::uuid[]) p, unnest(ARRAY['dry_needling', 'estim']) k`,
    [patientIds, org],
  );

  const clients = {
    admin: await signIn(stack.apiUrl, 'admin@tautline.test'),
    scheduler: await signIn(stack.apiUrl, 'scheduler@tautline.test'),
    supervisor: await signIn(stack.apiUrl, 'supervisor@tautline.test'),
  };
  const start = gridStartAfter(30 * 60_000).toISOString();
  const devices = await inPool(roomIds, SETUP_CONCURRENCY, async (roomId, i) => {
    const appointment = ok(
      'booking',
      await clients.scheduler.call<{ id: string }>('POST', '/appointments', {
        clinicId,
        patientId: patientIds[i],
        practitionerId: practitionerIds[i],
        appointmentTypeId: type!.id,
        start,
        roomId,
      }),
    );
    ok(
      'check-in',
      await clients.scheduler.call('POST', `/appointments/${appointment.id}/check-in`, {}),
    );
    const device = ok(
      'device',
      await clients.admin.call<{ id: string; key: string }>(
        'POST',
        `/clinics/${clinicId}/devices`,
        {
          roomId,
          serial: `BENCH-${tag}-${i + 1}`,
          model: 'Tautline Stim 4',
          firmware: '2.3.1',
          channels: 4,
        },
      ),
    );
    const session = ok(
      'session',
      await clients.supervisor.call<{ id: string }>('POST', '/sessions', {
        appointmentId: appointment.id,
        plan: TEST_PLAN,
      }),
    );
    return {
      sessionId: session.id,
      deviceKey: device.key,
      plan: TEST_PLAN,
      seed: i + 1,
      nextSeq: 1,
      lastSpikeAt: 0,
    } satisfies LiveDevice;
  });
  const status: MeasuredSessions['status'] = new Map(devices.map((d) => [d.sessionId, 'ready']));
  return { clinicId, devices, clients, status };
}

/** Starts (first time) or resumes the sessions, so exactly these devices' sessions run. */
export async function runSessions(
  m: MeasuredSessions,
  devices: readonly LiveDevice[],
): Promise<void> {
  await inPool(devices, SETUP_CONCURRENCY, async (d) => {
    const now = m.status.get(d.sessionId);
    if (now === 'running') return;
    const command = now === 'ready' ? 'start' : 'resume';
    ok(command, await m.clients.supervisor.call('POST', `/sessions/${d.sessionId}/${command}`, {}));
    m.status.set(d.sessionId, 'running');
  });
}

/** Pauses the sessions between steps: a paused device may rest without the watchdog calling it offline. */
export async function pauseSessions(
  m: MeasuredSessions,
  devices: readonly LiveDevice[],
): Promise<void> {
  await inPool(devices, SETUP_CONCURRENCY, async (d) => {
    if (m.status.get(d.sessionId) !== 'running') return;
    ok('pause', await m.clients.supervisor.call('POST', `/sessions/${d.sessionId}/pause`, {}));
    m.status.set(d.sessionId, 'paused');
  });
}
