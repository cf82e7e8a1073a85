import {
  type AlertEvent,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveSession,
  type ServerToClientEvents,
  simulateTreatment,
  type TelemetrySample,
} from '@tautline/domain';
import { io, type Socket } from 'socket.io-client';
import { type ApiClient, eventually, signIn } from '../support/booking-client';
import {
  type RunningSession,
  sendTelemetry,
  startRunningSession,
  TEST_PLAN,
} from '../support/estim-visit';
import { startStack, type Stack } from '../support/stack';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Live e-stim end to end: the built api and worker as processes, real PostgreSQL and Redis, real
 * socket.io clients. A test device streams a realistic trace (the domain's generator) in real time.
 */
describe('live e-stim sessions end to end', () => {
  let stack: Stack;
  let clients: { admin: ApiClient; scheduler: ApiClient; clinician: ApiClient };
  let session: RunningSession;
  const sockets: LiveClient[] = [];
  const seen = {
    updates: [] as LiveSession[],
    raised: [] as AlertEvent[],
    foreign: [] as string[],
  };
  let seq = 1;

  const storedCount = async () =>
    Number(
      (
        (await stack.db.dataSource.query(
          `SELECT count(*) AS n FROM telemetry_samples WHERE session_id = $1`,
          [session.sessionId],
        )) as { n: string }[]
      )[0]!.n,
    );

  /** `seconds` of the realistic trace, timestamped now, from the current seq. */
  const trace = (
    seconds: number,
    faults: Parameters<typeof simulateTreatment>[0]['faults'] = [],
  ): TelemetrySample[] => {
    const samples = simulateTreatment({
      plan: TEST_PLAN,
      hz: 10,
      durationSeconds: seconds,
      seed: seq,
      faults,
      startAt: new Date(Date.now() - seconds * 1000).toISOString(),
      startSeq: seq,
    }).map((s) => s.sample);
    seq = (samples[samples.length - 1]?.seq ?? seq) + 1;
    return samples;
  };

  const connect = async (email: string, clinicIds: string[]) => {
    const { token } = await signIn(stack.apiUrl, email);
    const client: LiveClient = io(`${stack.apiUrl}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
    });
    sockets.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connect', resolve);
      client.on('connect_error', reject);
    });
    const ack = await client.emitWithAck('clinics.subscribe', { clinicIds });
    return { client, ack };
  };

  beforeAll(async () => {
    stack = await startStack('e2e-live', {
      env: { WATCHDOG_INTERVAL_MS: '200', LIVE_UPDATE_INTERVAL_MS: '250' },
    });
    clients = {
      admin: await signIn(stack.apiUrl, 'admin@tautline.test'),
      scheduler: await signIn(stack.apiUrl, 'scheduler@tautline.test'),
      clinician: await signIn(stack.apiUrl, 'supervisor@tautline.test'),
    };
    const q = async (sql: string, v: string) =>
      ((await stack.db.dataSource.query(sql, [v])) as { id: string }[])[0]!.id;
    const clinicId = stack.demo.clinicIds['london-bridge']!;
    // A quick watchdog for the test: silence of 1.5 s is offline.
    const thresholds = await clients.admin.call('PUT', `/clinics/${clinicId}/safety-thresholds`, {
      offlineAfterMs: 1500,
    });
    expect(thresholds.status).toBe(200);
    session = await startRunningSession(clients, {
      clinicId,
      patientId: await q(`SELECT id FROM patients WHERE given_name = $1`, 'Olivia'),
      practitionerId: await q(`SELECT id FROM practitioners WHERE name = $1`, 'Eleanor Whitcombe'),
      estimTypeId: await q(
        `SELECT id FROM appointment_types WHERE name = $1`,
        'Dry needling + e-stim 45 min',
      ),
    });
    const supervisor = await connect('supervisor@tautline.test', [clinicId]);
    expect(supervisor.ack.sessions?.map((s) => s.sessionId)).toContain(session.sessionId);
    supervisor.client.on(
      'session.updated',
      (s) => s.sessionId === session.sessionId && seen.updates.push(s),
    );
    supervisor.client.on(
      'alert.raised',
      (e) => e.alert.sessionId === session.sessionId && seen.raised.push(e),
    );
    // New York Chelsea's practitioner asks for London Bridge too: refused, and hears nothing.
    const outsider = await connect('practitioner@tautline.test', [clinicId]);
    expect(outsider.ack.joined).toEqual([]);
    for (const event of [
      'session.updated',
      'alert.raised',
      'alert.updated',
      'alert.escalated',
    ] as const) {
      outsider.client.on(event, () => seen.foreign.push(event));
    }
  }, 120_000);

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await stack?.stop();
  });

  it('streams updates to the clinic room, coalesced, with increasing updateSeq and the latest readings', async () => {
    const started = Date.now();
    for (let i = 0; i < 6; i++) {
      expect((await sendTelemetry(stack.apiUrl, session.deviceKey, trace(0.5))).status).toBe(202);
      await new Promise((r) => setTimeout(r, 500));
    }
    const updates = await eventually(async () => seen.updates.length >= 3 && seen.updates);
    const seconds = (Date.now() - started) / 1000;
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(seconds / 0.25) + 2);
    const seqs = updates.map((u) => u.updateSeq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    const last = await eventually(async () => seen.updates.find((u) => u.latest?.seq === seq - 1));
    expect(last.latest?.channels.map((c) => c.channel)).toEqual([1, 2]);
    expect(await storedCount()).toBe(seq - 1);
  });

  it('raises one critical alert for an over-intensity sample, at once, and not again while it holds', async () => {
    const spike = trace(1);
    spike.forEach((s, i) => i >= 3 && (s.channels[0]!.intensityMa = 15));
    const sentAt = Date.now();
    expect((await sendTelemetry(stack.apiUrl, session.deviceKey, spike)).status).toBe(202);
    const raised = await eventually(async () =>
      seen.raised.find((e) => e.alert.kind === 'intensity_over_ceiling'),
    );
    expect(Date.now() - sentAt).toBeLessThan(3_000);
    expect(raised.alert).toMatchObject({
      severity: 'critical',
      channel: 1,
      muscle: 'upper_trapezius',
    });
    expect(raised.alert.message).toMatch(/channel 1.*upper trapezius.*15(\.0)? mA.*12 mA/i);
    const still = trace(1);
    still.forEach((s) => (s.channels[0]!.intensityMa = 15));
    await sendTelemetry(stack.apiUrl, session.deviceKey, still);
    await new Promise((r) => setTimeout(r, 800));
    expect(seen.raised.filter((e) => e.alert.kind === 'intensity_over_ceiling')).toHaveLength(1);
  });

  it('ignores resent batches: nothing is stored twice', async () => {
    const batch = trace(1);
    for (let i = 0; i < 3; i++)
      expect((await sendTelemetry(stack.apiUrl, session.deviceKey, batch)).status).toBe(202);
    await eventually(async () => (await storedCount()) === seq - 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await storedCount()).toBe(seq - 1);
  });

  it('raises device_offline when the device goes silent (the watchdog, not the next sample)', async () => {
    await sendTelemetry(stack.apiUrl, session.deviceKey, trace(0.5));
    const offline = await eventually(
      async () => seen.raised.find((e) => e.alert.kind === 'device_offline'),
      10_000,
    );
    expect(offline.alert.severity).toBe('critical');
  });

  it('keeps every unique sample exactly once when the worker is SIGKILLed mid-stream and restarted', async () => {
    const sent = new Set<number>();
    const stream = async (batches: number) => {
      for (let i = 0; i < batches; i++) {
        const batch = trace(0.5);
        const res = await sendTelemetry(stack.apiUrl, session.deviceKey, batch);
        expect(res.status).toBe(202);
        batch.forEach((s) => sent.add(s.seq));
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const before = await storedCount();
    await stream(5);
    await stack.killWorker('SIGKILL');
    await stream(5); // accepted by the API while no worker runs: waiting in BullMQ
    await stack.startWorker();
    await stream(5);
    await eventually(async () => (await storedCount()) === before + sent.size, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await storedCount()).toBe(before + sent.size);
  });

  it('never tells another clinic’s user', () => {
    expect(seen.foreign).toEqual([]);
  });
});
