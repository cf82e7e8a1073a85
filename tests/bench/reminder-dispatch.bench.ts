// Benchmark (not a test): reminder dispatch (issue 4).
// 10,000 `reminders` outbox rows all due within the same minute, one delayed BullMQ job each
// (`queueReminders`, as the api and the reconciler make them), sent by the built worker process
// (`apps/worker/dist/main.js`, `log` transport: claim, re-read, render, `message_log`, `sent`).
// Lateness is `sent_at − due_at` per row; afterwards the rows and `message_log` show whether every
// reminder went exactly once. The baseline, in the same run but never at the same time: a bare
// BullMQ worker with a no-op processor in this process, as many delayed jobs due the same way.
// Run: `pnpm bench` in tests/ (after a build), or `npx tsx bench/reminder-dispatch.bench.ts`.
// Quick trials: BENCH_REMINDERS (rows and jobs per side, default 10,000), BENCH_REMINDER_WINDOW_S
// (due spread, default 60), BENCH_REMINDER_LEAD_S (set-up to first due, default 15),
// BENCH_REMINDER_TIMEOUT_S (from the first due until it reports what it has, default 300).
import { loadEnv } from '@tautline/config';
import {
  createSchedulingWorld,
  createTestDatabase,
  type SchedulingWorld,
  type TestDatabase,
} from '@tautline/db';
import {
  createQueue,
  createRedisConnection,
  createWorker,
  deleteKeysWithPrefix,
  queueReminders,
  testRedisPrefix,
  type ReminderToQueue,
  type TypedQueue,
} from '@tautline/queues';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Redis } from 'ioredis';
import {
  distribution,
  heading,
  ms,
  runAsScript,
  table,
  timed,
  writeResults,
  type Distribution,
} from './support/report';

type DataSource = TestDatabase['dataSource'];

const WORKER_MAIN = path.resolve(__dirname, '../../apps/worker/dist/main.js');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Practitioners, rooms and patients of the world; appointment i uses resource i % PEOPLE. */
const PEOPLE = 100;
const POLL_MS = 500;
const sleep = (msecs: number) => new Promise((r) => setTimeout(r, msecs));

interface Settings {
  reminders: number;
  windowS: number;
  leadS: number;
  timeoutS: number;
}

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  return n;
}

function settingsFromEnv(): Settings {
  return {
    reminders: intFromEnv('BENCH_REMINDERS', 10_000, 1, 100_000),
    windowS: intFromEnv('BENCH_REMINDER_WINDOW_S', 60, 1, 600),
    leadS: intFromEnv('BENCH_REMINDER_LEAD_S', 15, 2, 300),
    timeoutS: intFromEnv('BENCH_REMINDER_TIMEOUT_S', 300, 10, 1_800),
  };
}

/** Benchmarks talk to this machine only. */
function assertLoopback(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`${what} must be on 127.0.0.1 for this benchmark, not ${host}`);
}

/** One message per item: when it was due and when it was done (epoch ms). */
interface Delivery {
  dueMs: number;
  doneMs: number;
}

interface SideResult {
  side: string;
  n: number;
  done: number;
  queuedMs: number;
  /** How long before the first due time queueing had finished (negative: it had not). */
  queuedAheadMs: number;
  /** Done ÷ (last done − first due). */
  perSecond: number;
  /** Done ÷ (last done − first done). */
  busyPerSecond: number;
  /** Most done in any one wall-clock second. */
  peakPerSecond: number;
  /** Done − due, ms. */
  lateness: Distribution;
  timedOut: boolean;
}

function summarise(
  side: string,
  n: number,
  queuedMs: number,
  queuedAheadMs: number,
  firstDueMs: number,
  deliveries: readonly Delivery[],
  timedOut: boolean,
): SideResult {
  const done = deliveries.map((d) => d.doneMs);
  const firstDone = Math.min(...done);
  const lastDone = Math.max(...done);
  const perSecondBucket = new Map<number, number>();
  for (const t of done) {
    const s = Math.floor(t / 1000);
    perSecondBucket.set(s, (perSecondBucket.get(s) ?? 0) + 1);
  }
  return {
    side,
    n,
    done: deliveries.length,
    queuedMs,
    queuedAheadMs,
    perSecond: deliveries.length / ((lastDone - firstDueMs) / 1000),
    busyPerSecond: deliveries.length / (Math.max(1, lastDone - firstDone) / 1000),
    peakPerSecond: Math.max(0, ...perSecondBucket.values()),
    lateness: distribution(deliveries.map((d) => d.doneMs - d.dueMs)),
    timedOut,
  };
}

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** The built worker as a child process (as tests/support/stack.ts runs it), once it says it runs. */
async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  while (!log.includes('worker running')) {
    if (child.exitCode !== null)
      throw new Error(`the worker exited with code ${child.exitCode}\n${log}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the worker did not start within 30 s\n${log}`);
    }
    await sleep(50);
  }
  return { child, output: () => log, stop };
}

/** `count` booked appointments in one statement: no two of one practitioner, room or patient overlap. */
async function insertAppointments(
  ds: DataSource,
  world: SchedulingWorld,
  count: number,
): Promise<void> {
  // Appointment i: resources i % PEOPLE, at +2 days + floor(i / PEOPLE) hours for 30 minutes, so
  // the appointments sharing a resource are an hour apart.
  await ds.query(
    `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
       starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
     SELECT $1, $2, ($3::uuid[])[i % $9 + 1], ($4::uuid[])[i % $9 + 1], ($5::uuid[])[i % $9 + 1], $6,
            base + make_interval(hours => i / $9), base + make_interval(hours => i / $9, mins => 30), 0, 0, $7
       FROM generate_series(0, $8::int - 1) AS i,
            (SELECT date_trunc('minute', now() + interval '2 days') AS base) b`,
    [
      world.organisationId,
      world.clinicId,
      world.patientIds,
      world.practitionerIds,
      world.roomIds,
      world.appointmentTypeId,
      world.userId,
      count,
      PEOPLE,
    ],
  );
}

/** One outbox row per appointment, due uniformly at random within [t0, t0 + window). */
async function insertReminders(
  ds: DataSource,
  organisationId: string,
  t0: Date,
  windowS: number,
): Promise<ReminderToQueue[]> {
  const rows = (await ds.query(
    `WITH planned AS (
       SELECT a.*, $2::timestamptz + random() * make_interval(secs => $3) AS due
         FROM appointments a WHERE a.organisation_id = $1)
     INSERT INTO reminders (organisation_id, clinic_id, appointment_id, patient_id, purpose, "offset", channel,
       appointment_starts_at, nominal_at, due_at, status)
     SELECT organisation_id, clinic_id, id, patient_id, 'reminder', 'P2D', 'sms', starts_at, due, due, 'scheduled'
       FROM planned
     RETURNING id, due_at`,
    [organisationId, t0, windowS],
  )) as { id: string; due_at: Date }[];
  return rows.map((r) => ({ id: r.id, dueAt: r.due_at }));
}

interface Verification {
  messageLogRows: number;
  statuses: Record<string, number>;
  notSent: number;
  /** Rows claimed more than once (a retry or a takeover). */
  claimedTwice: number;
  /** BullMQ's own tally of the worker's queue afterwards. */
  jobCounts: Record<string, number>;
}

async function verify(ds: DataSource, queue: TypedQueue<'reminders'>): Promise<Verification> {
  const [counts] = (await ds.query(
    `SELECT (SELECT count(*)::int FROM message_log) AS logged,
            count(*) FILTER (WHERE status <> 'sent')::int AS not_sent,
            count(*) FILTER (WHERE attempts > 1)::int AS claimed_twice
       FROM reminders`,
  )) as { logged: number; not_sent: number; claimed_twice: number }[];
  const statuses = (await ds.query(
    `SELECT status || coalesce(':' || reason, '') AS status, count(*)::int AS n FROM reminders GROUP BY 1 ORDER BY 1`,
  )) as { status: string; n: number }[];
  return {
    messageLogRows: counts!.logged,
    statuses: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
    notSent: counts!.not_sent,
    claimedTwice: counts!.claimed_twice,
    jobCounts: await queue.getJobCounts('failed', 'delayed', 'wait', 'active'),
  };
}

/** The real worker process against the outbox; answers the result and what the rows say afterwards. */
async function measuredSide(
  db: TestDatabase,
  organisationId: string,
  redis: Redis,
  prefix: string,
  workerEnv: NodeJS.ProcessEnv,
  jobSettings: { attempts: number; backoffMs: number },
  s: Settings,
): Promise<{ result: SideResult; verification: Verification; workerOutput: string }> {
  const ds = db.dataSource;
  const queue = createQueue('reminders', { connection: redis, prefix });
  // Started before the rows exist, so its start-up reconcile finds nothing to queue itself.
  const worker = await startWorkerProcess(workerEnv);
  try {
    const t0 = new Date(Date.now() + s.leadS * 1000);
    const rows = await insertReminders(ds, organisationId, t0, s.windowS);
    const firstDueMs = Math.min(...rows.map((r) => r.dueAt.getTime()));
    const queued = await timed(() => queueReminders(queue, rows, jobSettings));
    const queuedAheadMs = firstDueMs - Date.now();

    const deadline = t0.getTime() + s.timeoutS * 1000;
    let timedOut = false;
    for (;;) {
      const [{ pending }] = (await ds.query(
        `SELECT count(*)::int AS pending FROM reminders WHERE status IN ('scheduled', 'sending')`,
      )) as [{ pending: number }];
      if (pending === 0) break;
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
        console.warn(
          `the worker exited (${worker.child.exitCode ?? worker.child.signalCode}) with ${pending} rows pending`,
        );
        timedOut = true;
        break;
      }
      if (Date.now() > deadline) {
        console.warn(
          `time limit: ${pending} rows still pending ${s.timeoutS} s after the first due time`,
        );
        timedOut = true;
        break;
      }
      await sleep(POLL_MS);
    }
    const deliveries = (
      (await ds.query(
        `SELECT (extract(epoch FROM due_at) * 1000)::float8 AS due_ms, (extract(epoch FROM sent_at) * 1000)::float8 AS sent_ms
           FROM reminders WHERE status = 'sent'`,
      )) as { due_ms: number; sent_ms: number }[]
    ).map((r) => ({ dueMs: r.due_ms, doneMs: r.sent_ms }));
    const result = summarise(
      'worker  reminder.send → log channel',
      rows.length,
      queued.ms,
      queuedAheadMs,
      firstDueMs,
      deliveries,
      timedOut,
    );
    const verification = await verify(ds, queue);
    return { result, verification, workerOutput: worker.output() };
  } finally {
    await worker.stop();
    await queue.close();
  }
}

/** A bare BullMQ worker, no-op processor, same queue shape and concurrency, in this process. */
async function baselineSide(
  redis: Redis,
  prefix: string,
  concurrency: number,
  jobSettings: { attempts: number; backoffMs: number },
  s: Settings,
): Promise<{ result: SideResult; pickup: Distribution }> {
  const queue = createQueue('reminders', { connection: redis, prefix });
  const workerConnection = redis.duplicate();
  const dueById = new Map<string, number>();
  const deliveries: Delivery[] = [];
  const pickup: number[] = [];
  let failed = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const worker = createWorker('reminders', async () => undefined, {
    connection: workerConnection,
    prefix,
    concurrency,
  });
  worker.on('completed', (job) => {
    const id = 'reminderId' in job.data ? job.data.reminderId : '';
    const due = dueById.get(id);
    if (due === undefined || !job.finishedOn) return;
    deliveries.push({ dueMs: due, doneMs: job.finishedOn });
    if (job.processedOn) pickup.push(job.processedOn - (job.timestamp + (job.opts.delay ?? 0)));
    if (deliveries.length + failed >= dueById.size) allDone();
  });
  worker.on('failed', () => {
    failed++;
    if (deliveries.length + failed >= dueById.size) allDone();
  });
  try {
    await worker.waitUntilReady();
    const t0 = Date.now() + s.leadS * 1000;
    const rows: ReminderToQueue[] = Array.from({ length: s.reminders }, () => ({
      id: randomUUID(),
      dueAt: new Date(t0 + Math.random() * s.windowS * 1000),
    }));
    for (const r of rows) dueById.set(r.id, r.dueAt.getTime());
    const firstDueMs = Math.min(...rows.map((r) => r.dueAt.getTime()));
    const queued = await timed(() => queueReminders(queue, rows, jobSettings));
    const queuedAheadMs = firstDueMs - Date.now();
    const limit = t0 + s.timeoutS * 1000 - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), limit))),
    ]);
    clearTimeout(timer);
    if (timedOut)
      console.warn(`time limit: baseline completed ${deliveries.length} of ${rows.length} jobs`);
    if (failed) console.warn(`baseline: ${failed} jobs failed`);
    return {
      result: summarise(
        'bare BullMQ  no-op processor (baseline)',
        rows.length,
        queued.ms,
        queuedAheadMs,
        firstDueMs,
        deliveries,
        timedOut,
      ),
      pickup: distribution(pickup),
    };
  } finally {
    await worker.close();
    workerConnection.disconnect();
    await queue.close();
  }
}

export async function reminderDispatchBench(): Promise<void> {
  const started = Date.now();
  const s = settingsFromEnv();
  heading(
    `Reminder dispatch: ${s.reminders.toLocaleString('en-GB')} reminders due within the same ${s.windowS} s ` +
      `(first due ${s.leadS} s after queueing starts), the built worker against a bare BullMQ no-op worker`,
  );
  if (!existsSync(WORKER_MAIN))
    throw new Error('apps/worker/dist is missing: run `pnpm turbo run build` first');
  assertLoopback(REDIS_URL, 'REDIS_URL');

  const db = await createTestDatabase('bench-reminders');
  const redis = createRedisConnection(REDIS_URL);
  const workerPrefix = testRedisPrefix('bench-reminders');
  const baselinePrefix = testRedisPrefix('bench-rem-base');
  try {
    assertLoopback(db.url, 'the test database');
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: workerPrefix,
      SMS_TRANSPORT: 'log',
      EMAIL_TRANSPORT: 'log',
    };
    // What the worker will run with (REMINDER_* from the environment, else the defaults).
    const config = loadEnv(workerEnv);
    const jobSettings = {
      attempts: config.REMINDER_SEND_ATTEMPTS,
      backoffMs: config.REMINDER_BACKOFF_MS,
    };
    const world = await createSchedulingWorld(db.dataSource, 'bench-reminders', {
      practitioners: PEOPLE,
      rooms: PEOPLE,
      patients: PEOPLE,
    });
    const seeded = await timed(() => insertAppointments(db.dataSource, world, s.reminders));
    await db.dataSource.query('ANALYZE appointments');
    console.log(
      `${s.reminders.toLocaleString('en-GB')} appointments inserted in ${ms(seeded.ms, 0)} ms; worker concurrency ` +
        `${config.REMINDER_CONCURRENCY}, reconcile every ${config.REMINDER_RECONCILE_EVERY_MS} ms.`,
    );

    // One after the other, never at the same time: the baseline first, before the worker exists.
    const baseline = await baselineSide(
      redis,
      baselinePrefix,
      config.REMINDER_CONCURRENCY,
      jobSettings,
      s,
    );
    await deleteKeysWithPrefix(redis, baselinePrefix);
    const measured = await measuredSide(
      db,
      world.organisationId,
      redis,
      workerPrefix,
      workerEnv,
      jobSettings,
      s,
    );

    const results = [measured.result, baseline.result];
    console.log(
      table([
        [
          'side',
          'n',
          'sent',
          'queued in ms',
          'sent/s',
          'busy sent/s',
          'peak sent/s',
          'late p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
        ],
        ...results.map((r) => [
          r.side,
          r.n,
          r.done,
          ms(r.queuedMs, 0),
          ms(r.perSecond, 0),
          ms(r.busyPerSecond, 0),
          r.peakPerSecond,
          ms(r.lateness.p50),
          ms(r.lateness.p95),
          ms(r.lateness.p99),
          ms(r.lateness.max),
        ]),
      ]),
    );
    const m = measured.result;
    const b = baseline.result;
    const ratios = {
      p99Lateness: m.lateness.p99 / b.lateness.p99,
      p50Lateness: m.lateness.p50 / b.lateness.p50,
      throughput: m.perSecond / b.perSecond,
      busyThroughput: m.busyPerSecond / b.busyPerSecond,
    };
    console.log(
      `Worker ÷ baseline: p99 lateness ×${ratios.p99Lateness.toFixed(1)} (p50 ×${ratios.p50Lateness.toFixed(1)}), ` +
        `throughput ×${ratios.throughput.toFixed(2)} (busy ×${ratios.busyThroughput.toFixed(2)}), ` +
        `both at concurrency ${config.REMINDER_CONCURRENCY}.`,
    );
    console.log(
      `sent/s = sent ÷ (last sent − first due); busy = sent ÷ (last sent − first sent); lateness = sent_at − due_at ` +
        `(baseline: finishedOn − due; BullMQ pickup processedOn − (timestamp + delay) p50 ${ms(baseline.pickup.p50)} ms, ` +
        `p99 ${ms(baseline.pickup.p99)} ms). A worker that keeps up sends at the arrival rate, ` +
        `${ms(s.reminders / s.windowS, 0)}/s.`,
    );
    console.log(
      `Queueing finished ${ms(m.queuedAheadMs / 1000, 1)} s (worker) and ${ms(b.queuedAheadMs / 1000, 1)} s (baseline) ` +
        `before the first due time.`,
    );
    const v = measured.verification;
    console.log(
      `Exactly once: message_log rows ${v.messageLogRows}/${m.n}, rows not sent ${v.notSent} ` +
        `(${JSON.stringify(v.statuses)}), claimed more than once ${v.claimedTwice}, ` +
        `BullMQ jobs left ${JSON.stringify(v.jobCounts)}.`,
    );
    const workerLines = measured.workerOutput
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.includes('worker running'));
    if (workerLines.length > 0)
      console.log(
        `The worker printed ${workerLines.length} lines at warn or above; the first:\n${workerLines.slice(0, 5).join('\n')}`,
      );

    const file = writeResults('reminder-dispatch', {
      settings: {
        ...s,
        concurrency: config.REMINDER_CONCURRENCY,
        reconcileEveryMs: config.REMINDER_RECONCILE_EVERY_MS,
        ...jobSettings,
        people: PEOPLE,
      },
      results,
      ratios,
      baselinePickup: baseline.pickup,
      verification: v,
      workerOutputLines: workerLines.length,
      seconds: (Date.now() - started) / 1000,
    });
    console.log(
      `\nreminder-dispatch: ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${file}`,
    );
  } finally {
    await deleteKeysWithPrefix(redis, workerPrefix);
    await deleteKeysWithPrefix(redis, baselinePrefix);
    redis.disconnect();
    await db.drop();
  }
}

if (require.main === module) runAsScript(reminderDispatchBench);
