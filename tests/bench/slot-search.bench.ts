// Benchmark (not a test): the two-week slot search of a busy clinic (issue 3, item 4).
//   1. the pure engine `findSlots` against the naive reference search on the same input;
//   2. `GET /api/v1/slots` end to end against the built api, with the share spent outside the engine.
// Run: `pnpm bench` in tests/ (after a build), or `npx tsx bench/slot-search.bench.ts`.
import { loadEnv } from '@tautline/config';
import { DEMO_PASSWORD } from '@tautline/db';
import { findSlots, type Slot, type SlotSearchInput } from '@tautline/domain';
import { createApp } from '@tautline/api/dist/app.factory';
import { AppointmentsRepository } from '@tautline/api/dist/scheduling/appointments.repository';
import { BookingContextService } from '@tautline/api/dist/scheduling/booking-context.service';
import { TenantScope } from '@tautline/api/dist/tenancy/tenant-scope';
import { PassThrough } from 'node:stream';
import {
  MinuteReadings,
  referenceSlots,
} from '../../packages/domain/src/scheduling/testing/slot-engine.oracle';
import { startStack } from '../support/stack';
import {
  busyClinicInput,
  DAY,
  localInstant,
  nextMondayDate,
  PURE_FROM,
  PURE_TO,
  seedBusyClinic,
} from './support/busy-clinic';
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

const GRIDS = [15, 5] as const;
const ENGINE_WARMUP = 10;
const ENGINE_RUNS = 30;
const ORACLE_RUNS = 2;
const HTTP_WARMUP = 3;
const HTTP_RUNS = 20;
const ZONE = 'Europe/London';

const sameSlots = (a: readonly Slot[], b: readonly Slot[]) =>
  a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

async function repeat(times: number, fn: () => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await timed(fn)).ms);
  return samples;
}

interface PureResult {
  grid: number;
  slots: number;
  engine: Distribution;
  oracle: Distribution;
  oracleAgrees: boolean;
  speedUp: number;
}

/** Part 1: the pure engine and the naive oracle on the scale spec's busy clinic, in this process. */
async function pureEngine(): Promise<PureResult[]> {
  heading(
    'Slot engine (pure findSlots), busy clinic: 20 practitioners, 15 rooms, 5,000 bookings, 14 days across the spring DST change',
  );
  const results: PureResult[] = [];
  // The oracle reads the clinic clock minute by minute: one reading of the fortnight, shared by its runs.
  const clock = new MinuteReadings(PURE_FROM - DAY, PURE_TO + DAY, ZONE);
  for (const grid of GRIDS) {
    const input: SlotSearchInput = busyClinicInput(grid);
    let slots: Slot[] = [];
    await repeat(ENGINE_WARMUP, () => (slots = findSlots(input)));
    const engine = distribution(await repeat(ENGINE_RUNS, () => findSlots(input)));
    let reference: Slot[] = [];
    const oracle = distribution(
      await repeat(ORACLE_RUNS, () => (reference = referenceSlots(input, clock))),
    );
    results.push({
      grid,
      slots: slots.length,
      engine,
      oracle,
      oracleAgrees: sameSlots(slots, reference),
      speedUp: oracle.p50 / engine.p50,
    });
  }
  console.log(
    table([
      [
        'grid',
        'slots',
        `engine p50 ms`,
        'p95 ms',
        'max ms',
        'runs',
        'oracle p50 ms',
        'oracle runs',
        'same slots',
        'speed-up',
      ],
      ...results.map((r) => [
        `${r.grid} min`,
        r.slots,
        ms(r.engine.p50),
        ms(r.engine.p95),
        ms(r.engine.max),
        r.engine.n,
        ms(r.oracle.p50, 0),
        r.oracle.n,
        r.oracleAgrees ? 'yes' : 'NO',
        `${r.speedUp.toFixed(0)}×`,
      ]),
    ]),
  );
  console.log(
    `Baseline: referenceSlots (packages/domain/src/scheduling/testing/slot-engine.oracle.ts), the naive minute-by-minute search,\n` +
      `run at full size on the same input (${ENGINE_WARMUP} warm-up + ${ENGINE_RUNS} engine runs; ${ORACLE_RUNS} oracle runs per grid).`,
  );
  return results;
}

interface HttpResult {
  grid: number;
  slots: number;
  http: Distribution;
  /** BookingContextService.load: every scoped read the route makes. */
  load: Distribution;
  /** AppointmentsRepository.bookingsAround alone: the one range query and its rows. */
  bookingsRead: Distribution;
  engine: Distribution;
  inputMatchesHttp: boolean;
  outsideEngineShare: number;
}

/** Part 2: the built api as a process, on a database grown to the busy clinic. */
async function overHttp(): Promise<{ seeded: Record<string, unknown>; results: HttpResult[] }> {
  heading(
    'GET /api/v1/slots end to end (built api process, real PostgreSQL), two weeks at the busy clinic',
  );
  const stack = await startStack('bench-slots');
  let inProcess: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    const monday = nextMondayDate(ZONE, 1);
    const from = localInstant(ZONE, monday, '00:00');
    const to = localInstant(ZONE, monday, '00:00', 14);
    const seeding = await timed(() =>
      seedBusyClinic(stack.db.dataSource, stack.demo, { from, days: 14 }),
    );
    const clinic = seeding.value;
    const patientId = clinic.patientIds[7]!;
    console.log(
      `Seeded in ${ms(seeding.ms / 1000)} s: ${clinic.practitionerIds.length} practitioners, ${clinic.roomIds.length} rooms, ` +
        `${clinic.patientIds.length} patients, ${clinic.appointments.active} active + ${clinic.appointments.cancelled} cancelled appointments ` +
        `from ${from.toISOString()} to ${to.toISOString()} (rooms ${(clinic.appointments.roomOccupancy * 100).toFixed(0)}% occupied round the clock).`,
    );

    const login = await fetch(`${stack.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'scheduler@tautline.test', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };

    // The same api code in this process, to time its two halves on exactly the input the route builds:
    // the scoped reads (BookingContextService.load) and the pure engine.
    const sink = new PassThrough();
    sink.resume();
    inProcess = await createApp(
      loadEnv({
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: stack.databaseUrl,
        REDIS_PREFIX: `${stack.redisPrefix}-inproc`,
        API_PORT: '0',
      }),
      { logStream: sink },
    );
    const context = inProcess.get(BookingContextService);
    const appointments = inProcess.get(AppointmentsRepository);
    const scope = new TenantScope(stack.demo.organisationId, [clinic.clinicId]);
    const contextQuery = {
      clinicId: clinic.clinicId,
      appointmentTypeId: clinic.typeIds.dryNeedling30,
      from,
      to,
      patientId,
    };

    const results: HttpResult[] = [];
    for (const grid of GRIDS) {
      const url =
        `${stack.apiUrl}/api/v1/slots?clinicId=${clinic.clinicId}&appointmentTypeId=${clinic.typeIds.dryNeedling30}` +
        `&from=${from.toISOString()}&to=${to.toISOString()}&patientId=${patientId}&grid=${grid}`;
      let body: { slots: Slot[] } = { slots: [] };
      const get = async () => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
        if (res.status !== 200)
          throw new Error(`GET /slots answered ${res.status}: ${await res.text()}`);
        body = (await res.json()) as { slots: Slot[] };
      };
      let input: SlotSearchInput | undefined;
      const loadInput = async () => {
        const ctx = await context.load(scope, contextQuery);
        input = {
          ...ctx,
          from: from.toISOString(),
          to: to.toISOString(),
          gridMinutes: grid,
          now: new Date().toISOString(),
        };
      };
      const readBookings = () =>
        appointments.bookingsAround(scope, {
          clinicId: clinic.clinicId,
          practitionerIds: clinic.practitionerIds,
          patientId,
          from: new Date(from.getTime() - DAY),
          to: new Date(to.getTime() + DAY),
        });
      for (let i = 0; i < HTTP_WARMUP; i++) await Promise.all([get(), loadInput(), readBookings()]);
      // Interleaved, one at a time, so the route and its in-process halves see the same conditions.
      const samples = { http: [] as number[], load: [] as number[], bookings: [] as number[] };
      for (let i = 0; i < HTTP_RUNS; i++) {
        samples.http.push((await timed(get)).ms);
        samples.load.push((await timed(loadInput)).ms);
        samples.bookings.push((await timed(readBookings)).ms);
      }
      const http = distribution(samples.http);
      const load = distribution(samples.load);
      const bookingsRead = distribution(samples.bookings);
      let slots: Slot[] = [];
      await repeat(ENGINE_WARMUP, () => (slots = findSlots(input!)));
      const engine = distribution(await repeat(HTTP_RUNS, () => findSlots(input!)));
      results.push({
        grid,
        slots: body.slots.length,
        http,
        load,
        bookingsRead,
        engine,
        inputMatchesHttp: sameSlots(slots, body.slots),
        outsideEngineShare: 1 - engine.p50 / http.p50,
      });
    }
    console.log(
      table([
        [
          'grid',
          'slots',
          'HTTP p50 ms',
          'HTTP p95 ms',
          'max ms',
          'runs',
          'reads p50 ms',
          'of which bookings',
          'engine p50 ms',
          'outside engine',
          'same slots',
        ],
        ...results.map((r) => [
          `${r.grid} min`,
          r.slots,
          ms(r.http.p50),
          ms(r.http.p95),
          ms(r.http.max),
          r.http.n,
          ms(r.load.p50),
          ms(r.bookingsRead.p50),
          ms(r.engine.p50),
          `${(r.outsideEngineShare * 100).toFixed(0)}%`,
          r.inputMatchesHttp ? 'yes' : 'NO',
        ]),
      ]),
    );
    console.log(
      `"outside engine" = 1 − engine p50 / HTTP p50: auth, validation, the scoped reads, JSON. "reads" is the route's\n` +
        `BookingContextService.load and "of which bookings" its one range query on appointments (AppointmentsRepository.\n` +
        `bookingsAround: ~4,500 rows fetched and parsed), both timed in this process with the same api code on the same\n` +
        `database, interleaved with the HTTP runs; "engine" is findSlots on the input that load built ("same slots": it\n` +
        `gives the route's answer). The in-process figures estimate the split inside the api process.`,
    );
    return {
      seeded: {
        practitioners: clinic.practitionerIds.length,
        rooms: clinic.roomIds.length,
        patients: clinic.patientIds.length,
        ...clinic.appointments,
        from,
        to,
      },
      results,
    };
  } finally {
    await inProcess?.close();
    await stack.stop();
  }
}

export async function slotSearchBench(): Promise<void> {
  const started = Date.now();
  const pure = await pureEngine();
  const http = await overHttp();
  const file = writeResults('slot-search', { pure, http, seconds: (Date.now() - started) / 1000 });
  console.log(`\nslot-search: ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${file}`);
}

if (require.main === module) runAsScript(slotSearchBench);
