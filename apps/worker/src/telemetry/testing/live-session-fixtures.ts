import { insertAppointment, type SchedulingWorld } from '@tautline/db';
import {
  DEFAULT_SAFETY_THRESHOLDS,
  type SafetyThresholds,
  type SessionPlan,
  simulateTreatment,
  type TelemetrySample,
} from '@tautline/domain';
import { type LiveSessionStore, type TypedQueue } from '@tautline/queues';
import { type DataSource } from 'typeorm';

/** Two channels, as a clinician plans a neck-and-shoulder session. */
export const TWO_CHANNEL_PLAN: SessionPlan = {
  plannedDurationMinutes: 20,
  channels: [
    {
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 80,
      pulseWidthUs: 250,
      intensityCeilingMa: 12,
    },
    {
      channel: 2,
      muscle: 'levator_scapulae',
      side: 'right',
      waveform: 'biphasic_symmetric',
      frequencyHz: 80,
      pulseWidthUs: 250,
      intensityCeilingMa: 10,
    },
  ],
};

export interface LiveSessionFixture {
  sessionId: string;
  deviceId: string;
  organisationId: string;
  clinicId: string;
  roomId: string;
  appointmentId: string;
}

export interface SessionInput {
  /** Index into the world's rooms (one stimulator per room). */
  room: number;
  thresholds?: Partial<SafetyThresholds>;
  plan?: SessionPlan;
  status?: 'running' | 'paused' | 'completed';
  /** When the current running stretch began; default now. */
  runningSince?: Date;
}

let appointmentSlot = 0;

/**
 * A stimulator in a room and its treatment session, written with SQL as the API would: an
 * appointment (each at its own time, so nothing clashes), the device, the session row with the
 * plan and a thresholds snapshot.
 */
export async function insertLiveSession(
  ds: DataSource,
  world: SchedulingWorld,
  input: SessionInput,
): Promise<LiveSessionFixture> {
  const plan = input.plan ?? TWO_CHANNEL_PLAN;
  const thresholds = { ...DEFAULT_SAFETY_THRESHOLDS, ...input.thresholds };
  const status = input.status ?? 'running';
  const startsAt = new Date(
    Date.UTC(2030, 0, 1) + (appointmentSlot += 1) * 3_600_000,
  ).toISOString();
  const appointmentId = await insertAppointment(ds, world, {
    room: input.room,
    startsAt,
    minutes: 45,
  });
  const roomId = world.roomIds[input.room]!;
  const [device] = (await ds.query(
    `INSERT INTO devices (organisation_id, clinic_id, room_id, serial, model, firmware, channels, key_hash, key_hint)
     VALUES ($1, $2, $3, 'SIM-' || substr(md5(random()::text), 1, 10), 'Sim e-stim 2', '1.0.0', 4,
             encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'tld_test')
     RETURNING id`,
    [world.organisationId, world.clinicId, roomId],
  )) as { id: string }[];
  const runningSince = status === 'running' ? (input.runningSince ?? new Date()) : null;
  const [session] = (await ds.query(
    `INSERT INTO treatment_sessions (organisation_id, clinic_id, room_id, device_id, appointment_id, practitioner_id, status, plan,
       thresholds, planned_duration_minutes, started_at, running_seconds, running_since, ended_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, now()), 0, $11, $12, $13)
     RETURNING id`,
    [
      world.organisationId,
      world.clinicId,
      roomId,
      device!.id,
      appointmentId,
      world.practitionerIds[0],
      status,
      JSON.stringify(plan),
      JSON.stringify(thresholds),
      plan.plannedDurationMinutes,
      runningSince,
      status === 'completed' ? new Date() : null,
      world.userId,
    ],
  )) as { id: string }[];
  return {
    sessionId: session!.id,
    deviceId: device!.id,
    organisationId: world.organisationId,
    clinicId: world.clinicId,
    roomId,
    appointmentId,
  };
}

/** A clean simulated trace (10 Hz) that ended just now, seqs from `startSeq`. */
export function cleanTrace(seconds: number, startSeq = 0, seed = 7): TelemetrySample[] {
  return simulateTreatment({
    plan: TWO_CHANNEL_PLAN,
    durationSeconds: seconds,
    seed,
    startAt: new Date(Date.now() - seconds * 1000).toISOString(),
    startSeq,
  }).map((s) => s.sample);
}

/** Hand-made samples at 10 Hz ending now: channel 1 at `ma`, channel 2 comfortable. */
export function samplesAt(ma: number, count: number, startSeq: number): TelemetrySample[] {
  const start = Date.now() - count * 100;
  return Array.from({ length: count }, (_, i) => ({
    seq: startSeq + i,
    at: new Date(start + i * 100).toISOString(),
    batteryPct: 80,
    flags: [],
    channels: [
      { channel: 1, intensityMa: ma, frequencyHz: 80, pulseWidthUs: 250, impedanceOhm: 1500 },
      { channel: 2, intensityMa: 6, frequencyHz: 80, pulseWidthUs: 250, impedanceOhm: 1600 },
    ],
  }));
}

/**
 * Feeds samples as the API does after accepting a batch: jobs of `perJob` samples (job id from
 * device and seq range, so a re-sent batch is the same job), then `lastReceived` for the watchdog.
 */
export async function feed(
  queue: TypedQueue<'telemetry'>,
  store: LiveSessionStore,
  s: LiveSessionFixture,
  samples: TelemetrySample[],
  options: { perJob?: number; jobIdPrefix?: string } = {},
): Promise<string[]> {
  const perJob = options.perJob ?? 100;
  const receivedAt = new Date().toISOString();
  const jobs = [];
  for (let i = 0; i < samples.length; i += perJob) {
    const chunk = samples.slice(i, i + perJob);
    jobs.push({
      name: 'telemetry.batch' as const,
      data: {
        organisationId: s.organisationId,
        clinicId: s.clinicId,
        sessionId: s.sessionId,
        deviceId: s.deviceId,
        receivedAt,
        samples: chunk,
      },
      opts: {
        jobId: `${options.jobIdPrefix ?? 'batch'}-${s.deviceId}-${chunk[0]!.seq}-${chunk[chunk.length - 1]!.seq}`,
        attempts: 5,
        backoff: { type: 'exponential' as const, delay: 100 },
      },
    });
  }
  const added = await queue.addBulk(jobs);
  await store.markReceived(s.sessionId);
  return added.map((j) => String(j.id));
}

export async function sampleCount(ds: DataSource, s: LiveSessionFixture): Promise<number> {
  const [row] = (await ds.query(
    `SELECT count(*)::int AS n FROM telemetry_samples WHERE session_id = $1`,
    [s.sessionId],
  )) as { n: number }[];
  return row!.n;
}

export async function alertRows(ds: DataSource, s: LiveSessionFixture) {
  return (await ds.query(
    `SELECT id, kind, channel, status, severity, escalated_at, occurrences FROM alerts WHERE session_id = $1 ORDER BY raised_at`,
    [s.sessionId],
  )) as {
    id: string;
    occurrences: number;
    kind: string;
    channel: number | null;
    status: string;
    severity: string;
    escalated_at: Date | null;
  }[];
}

/** Polls until `check` holds (real queues take real time). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
