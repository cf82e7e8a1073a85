// The baseline of the live telemetry benchmark: the same HTTP → Redis → PostgreSQL → socket.io path,
// written directly in this process without Nest or BullMQ.
// - HTTP: one node:http POST handler: parse the JSON, look the device key's SHA-256 up in a Map,
//   LPUSH the batch onto a Redis list, answer 202. No schema check, no back-pressure.
// - Consumer: one loop, BRPOP then RPOP of up to CONSUME_BATCHES more (FIFO, so each session's
//   batches stay in order), the domain's pure `evaluateSamples` per session (state in memory),
//   alerts inserted and emitted first, then one multi-row INSERT of every sample taken.
// - Live: `session.updated` coalesced to one per session per interval, `alert.raised` at once,
//   through the socket.io Redis emitter (`createLiveEmitter`, the worker's) to a plain socket.io
//   server on the Redis adapter (the worker's `LiveObserver` test server: tests/ cannot import
//   socket.io itself), whose client in the clinic's room is what the benchmark listens to.
// - PostgreSQL: a database of its own (`createTestDatabase`, migrated), the real `telemetry_samples`
//   and `alerts` tables with their foreign keys, and the minimum rows those need (organisation,
//   clinic, rooms, practitioners, patients, appointments, devices, running treatment sessions).
import {
  ALERT_COLUMNS,
  createSchedulingWorld,
  createTestDatabase,
  toAlert,
  type AlertRow,
  type TestDatabase,
} from '@tautline/db';
import {
  type Alert,
  type AlertDraft,
  type AlertResolution,
  clinicRoom,
  DEFAULT_SAFETY_THRESHOLDS,
  evaluateSamples,
  initialSafetyState,
  type LatestReadings,
  type LiveSession,
  type SafetyContext,
  type SafetyState,
  type TelemetrySample,
} from '@tautline/domain';
import {
  createLiveEmitter,
  createRedisConnection,
  deleteKeysWithPrefix,
  testRedisPrefix,
  type LiveEmitter,
} from '@tautline/queues';
import { LiveObserver } from '@tautline/worker/dist/telemetry/testing/live-observer';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { Pool } from 'pg';
import { TEST_PLAN } from '../../support/estim-visit';
import { type LiveDevice, LiveMeter, type LiveSide } from './live-load';

/** Batches the consumer takes from the list per round (one INSERT for all of them). */
const CONSUME_BATCHES = 200;

interface BaselineSession {
  sessionId: string;
  deviceId: string;
  clinicId: string;
  roomId: string;
  appointmentId: string;
  startedAt: string;
  ctx: SafetyContext;
  state: SafetyState;
  latest: LatestReadings | null;
  open: Map<string, Alert>;
  updateSeq: number;
}

interface QueuedBatch {
  sessionId: string;
  deviceId: string;
  receivedAt: string;
  samples: TelemetrySample[];
}

export interface BaselinePipeline {
  side: LiveSide;
  databaseName: string;
  /** Batches the consumer failed to store (each logged once). */
  failures(): number;
  stop(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The rows the foreign keys of `telemetry_samples` and `alerts` need: `count` running sessions. */
async function seedSessions(
  db: TestDatabase,
  count: number,
): Promise<{ sessions: BaselineSession[]; keys: string[] }> {
  const ds = db.dataSource;
  const world = await createSchedulingWorld(ds, 'bench-live-base', {
    practitioners: count,
    rooms: count,
    patients: count,
  });
  const appointments = (await ds.query(
    `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
       starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, status, created_by)
     SELECT $1, $2, p, pr, r, $6, date_trunc('minute', now()), date_trunc('minute', now()) + interval '45 minutes', 0, 0,
            'in_session', $7
       FROM unnest($3::uuid[], $4::uuid[], $5::uuid[]) WITH ORDINALITY AS u(p, pr, r, n) ORDER BY n
     RETURNING id`,
    [
      world.organisationId,
      world.clinicId,
      world.patientIds,
      world.practitionerIds,
      world.roomIds,
      world.appointmentTypeId,
      world.userId,
    ],
  )) as { id: string }[];
  const keys = world.roomIds.map(() => `tld_${randomBytes(32).toString('base64url')}`);
  const devices = (await ds.query(
    `INSERT INTO devices (organisation_id, clinic_id, room_id, serial, model, firmware, channels, key_hash, key_hint)
     SELECT $1, $2, r, 'BASE-' || n, 'Tautline Stim 4', '2.3.1', 4, h, left(k, 8)
       FROM unnest($3::uuid[], $4::text[], $5::text[]) WITH ORDINALITY AS u(r, h, k, n) ORDER BY n
     RETURNING id`,
    [world.organisationId, world.clinicId, world.roomIds, keys.map(sha256), keys],
  )) as { id: string }[];
  const sessions = (await ds.query(
    `INSERT INTO treatment_sessions (organisation_id, clinic_id, room_id, device_id, appointment_id, practitioner_id,
       status, plan, thresholds, planned_duration_minutes, started_at, running_since, created_by)
     SELECT $1, $2, r, d, a, pr, 'running', $7::jsonb, $8::jsonb, $9, now(), now(), $10
       FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[]) WITH ORDINALITY AS u(r, d, a, pr, n) ORDER BY n
     RETURNING id, device_id, room_id, appointment_id, started_at`,
    [
      world.organisationId,
      world.clinicId,
      world.roomIds,
      devices.map((d) => d.id),
      appointments.map((a) => a.id),
      world.practitionerIds,
      JSON.stringify(TEST_PLAN),
      JSON.stringify(DEFAULT_SAFETY_THRESHOLDS),
      TEST_PLAN.plannedDurationMinutes,
      world.userId,
    ],
  )) as {
    id: string;
    device_id: string;
    room_id: string;
    appointment_id: string;
    started_at: Date;
  }[];
  return {
    keys,
    sessions: sessions.map((s, i) => ({
      sessionId: s.id,
      deviceId: s.device_id,
      clinicId: world.clinicId,
      roomId: s.room_id,
      appointmentId: s.appointment_id,
      startedAt: s.started_at.toISOString(),
      ctx: {
        plan: TEST_PLAN,
        thresholds: DEFAULT_SAFETY_THRESHOLDS,
        labels: { roomName: `Room ${i + 1}` },
      },
      state: initialSafetyState(),
      latest: null,
      open: new Map(),
      updateSeq: 0,
    })),
  };
}

/** What the board would show: the same shape as the worker's `session.updated`. */
function liveSession(s: BaselineSession): LiveSession {
  return {
    sessionId: s.sessionId,
    clinicId: s.clinicId,
    roomId: s.roomId,
    roomName: s.ctx.labels.roomName,
    deviceId: s.deviceId,
    appointmentId: s.appointmentId,
    patientInitials: 'G.F.',
    practitionerName: 'Practitioner',
    status: 'running',
    plan: s.ctx.plan,
    thresholds: s.ctx.thresholds,
    startedAt: s.startedAt,
    runningSeconds: 0,
    runningSince: s.startedAt,
    latest: s.latest,
    openAlerts: [...s.open.values()],
    updateEpoch: 1,
    updateSeq: ++s.updateSeq,
  };
}

export async function startBaselinePipeline(
  count: number,
  redisUrl: string,
  updateIntervalMs: number,
  warn: (line: string) => void,
): Promise<BaselinePipeline> {
  const db = await createTestDatabase('bench-live-base');
  const prefix = testRedisPrefix('bench-live-base');
  const list = `${prefix}:telemetry`;
  const redis = createRedisConnection(redisUrl);
  const blocking = createRedisConnection(redisUrl);
  const resources: { stop: () => Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const r of resources.reverse()) await r.stop().catch((e: unknown) => warn(String(e)));
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    blocking.disconnect();
    await db.drop();
  };
  try {
    const { sessions, keys } = await seedSessions(db, count);
    const pool = new Pool({ connectionString: db.url, max: 4 });
    resources.push({ stop: () => pool.end() });
    const byHash = new Map(sessions.map((s, i) => [sha256(keys[i]!), s]));
    const byId = new Map(sessions.map((s) => [s.sessionId, s]));

    const observer = await LiveObserver.start(redis, prefix);
    resources.push({ stop: () => observer.stop() });
    const emitter: LiveEmitter = createLiveEmitter(redis, prefix);
    const meter = new LiveMeter();
    const client = await observer.client(sessions[0]!.clinicId);
    client.socket.on('session.updated', meter.onUpdate);
    client.socket.on('alert.raised', meter.onAlert);
    // LiveObserver keeps every event it hears; the benchmark only needs its own listeners.
    const forget = setInterval(() => {
      for (const events of Object.values(client.events)) events.length = 0;
      client.all.length = 0;
    }, 1_000);
    resources.push({ stop: async () => clearInterval(forget) });

    // HTTP: parse, authenticate by hash, LPUSH, 202.
    const server = http.createServer((req, res) => {
      const answer = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/api/v1/telemetry') return answer(404);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const auth = req.headers.authorization ?? '';
        const session = auth.startsWith('Device ') ? byHash.get(sha256(auth.slice(7))) : undefined;
        if (!session) return answer(401);
        let samples: unknown;
        try {
          samples = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { samples?: unknown })
            .samples;
        } catch {
          return answer(400);
        }
        if (!Array.isArray(samples) || samples.length === 0) return answer(400);
        const queued: QueuedBatch = {
          sessionId: session.sessionId,
          deviceId: session.deviceId,
          receivedAt: new Date().toISOString(),
          samples: samples as TelemetrySample[],
        };
        redis.lpush(list, JSON.stringify(queued)).then(
          () => answer(202, { accepted: samples.length, sessionId: session.sessionId }),
          () => answer(503),
        );
      });
    });
    server.keepAliveTimeout = 65_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    resources.push({
      stop: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      },
    });
    const { port } = server.address() as { port: number };

    // Alerts first (insert, emit), as the worker does.
    const raise = async (s: BaselineSession, d: AlertDraft) => {
      const { rows } = await pool.query<AlertRow>(
        `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, muscle, message,
           value, "limit", raised_at)
         SELECT organisation_id, clinic_id, room_id, id, $2, $3, $4::int, $5, $6, $7::float8, $8::float8, $9::timestamptz
           FROM treatment_sessions WHERE id = $1
         ON CONFLICT (session_id, kind, (coalesce(channel, 0))) WHERE status <> 'resolved' DO NOTHING
         RETURNING ${ALERT_COLUMNS}`,
        [
          s.sessionId,
          d.kind,
          d.severity,
          d.channel,
          d.muscle,
          d.message.slice(0, 500),
          d.value ?? null,
          d.limit ?? null,
          d.at,
        ],
      );
      if (!rows[0]) return;
      const alert = toAlert(rows[0]);
      s.open.set(d.key, alert);
      emitter.to(clinicRoom(s.clinicId)).emit('alert.raised', { alert });
    };
    const resolve = async (s: BaselineSession, r: AlertResolution) => {
      const open = s.open.get(r.key);
      if (!open) return;
      s.open.delete(r.key);
      const { rows } = await pool.query<AlertRow>(
        `UPDATE alerts SET status = 'resolved', resolved_at = greatest($2::timestamptz, raised_at)
          WHERE id = $1 AND status <> 'resolved' RETURNING ${ALERT_COLUMNS}`,
        [open.id, r.at],
      );
      if (rows[0])
        emitter.to(clinicRoom(s.clinicId)).emit('alert.updated', { alert: toAlert(rows[0]) });
    };

    const dirty = new Set<string>();
    let failures = 0;
    const consumeRound = async (raw: string[]) => {
      const bySession = new Map<string, QueuedBatch[]>();
      for (const text of raw) {
        const b = JSON.parse(text) as QueuedBatch;
        bySession.set(b.sessionId, [...(bySession.get(b.sessionId) ?? []), b]);
      }
      const rows: Record<string, unknown>[] = [];
      const touched: BaselineSession[] = [];
      for (const [sessionId, batches] of bySession) {
        const s = byId.get(sessionId)!;
        const samples = batches.flatMap((b) => b.samples);
        const evaluation = evaluateSamples(s.state, samples, s.ctx);
        s.state = evaluation.state;
        const changes = [
          ...evaluation.resolved.map((r) => ({ at: Date.parse(r.at), run: () => resolve(s, r) })),
          ...evaluation.raised.map((d) => ({ at: Date.parse(d.at), run: () => raise(s, d) })),
        ].sort((a, b) => a.at - b.at);
        for (const change of changes) await change.run();
        for (const b of batches)
          for (const sample of b.samples)
            rows.push({ ...sample, deviceId: b.deviceId, sessionId, receivedAt: b.receivedAt });
        const newest = samples.reduce((a, x) => (x.seq > a.seq ? x : a));
        if (!s.latest || newest.seq > s.latest.seq) {
          const receivedAt = batches[batches.length - 1]!.receivedAt;
          const { seq, at, batteryPct, flags, channels } = newest;
          s.latest = { seq, at, receivedAt, batteryPct, flags, channels };
        }
        touched.push(s);
      }
      await pool.query(
        `INSERT INTO telemetry_samples (device_id, seq, session_id, at, received_at, battery_pct, flags, channels)
         SELECT s."deviceId", s.seq, s."sessionId", s.at, s."receivedAt", s."batteryPct", coalesce(s.flags, '{}'), s.channels
           FROM jsonb_to_recordset($1::jsonb) AS s("deviceId" uuid, seq bigint, "sessionId" uuid, at timestamptz,
                "receivedAt" timestamptz, "batteryPct" real, flags text[], channels jsonb)
         ON CONFLICT (device_id, seq) DO NOTHING`,
        [JSON.stringify(rows)],
      );
      for (const s of touched) dirty.add(s.sessionId);
    };
    let stopping = false;
    const consumer = (async () => {
      while (!stopping) {
        const first = await blocking.brpop(list, 1);
        if (!first) continue;
        const rest = (await blocking.rpop(list, CONSUME_BATCHES - 1)) ?? [];
        try {
          await consumeRound([first[1], ...rest]);
        } catch (e) {
          if (failures++ === 0) warn(`baseline consumer: ${(e as Error).message}`);
        }
      }
    })();
    resources.push({
      stop: async () => {
        stopping = true;
        await consumer;
      },
    });

    const flush = setInterval(() => {
      for (const id of dirty) {
        const s = byId.get(id)!;
        emitter.to(clinicRoom(s.clinicId)).emit('session.updated', liveSession(s));
      }
      dirty.clear();
    }, updateIntervalMs);
    resources.push({ stop: async () => clearInterval(flush) });

    const devices: LiveDevice[] = sessions.map((s, i) => ({
      sessionId: s.sessionId,
      deviceKey: keys[i]!,
      plan: s.ctx.plan,
      seed: i + 1,
      nextSeq: 1,
      lastSpikeAt: 0,
    }));
    const side: LiveSide = {
      label: 'baseline',
      telemetryUrl: new URL(`http://127.0.0.1:${port}/api/v1/telemetry`),
      devices,
      meter,
      beforeLoad: async () => undefined,
      afterLoad: async () => undefined,
      storedCount: async () =>
        (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_samples`))
          .rows[0]!.n,
    };
    return { side, databaseName: db.name, failures: () => failures, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
