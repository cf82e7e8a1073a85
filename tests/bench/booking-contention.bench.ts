// Benchmark (not a test): booking under contention (issue 3, item 5).
// Many clients race for overlapping times of a few practitioners while others book times nobody
// else wants, through `POST /api/v1/appointments` on the built api; then the same contention as
// plain `INSERT INTO appointments` statements through `pg` (the exclusion constraints alone), so the
// api's cost shows as a ratio. Afterwards a self-join counts overlapping active appointments.
// Run: `pnpm bench` in tests/ (after a build), or `npx tsx bench/booking-contention.bench.ts`.
import { DEMO_PASSWORD } from '@tautline/db';
import { Pool } from 'pg';
import { startStack, type Stack } from '../support/stack';
import {
  DAY,
  localInstant,
  MIN,
  nextMondayDate,
  seedBusyClinic,
  type BusyClinic,
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

const ZONE = 'Europe/London';
/** Practitioners raced for in every round, each with a room of its own. */
const CONTENDED = 4;
/** Clients racing for each contended practitioner's time in a round. */
const RACERS = 12;
/** Bookings per round that clash with nothing (other practitioners, rooms and patients). */
const FREE_BOOKINGS = 8;
/** Rounds per side; each fires CONTENDED × RACERS + FREE_BOOKINGS requests at once. */
const ROUNDS = 20;
/** Round start times (local): far enough apart that a patient can be in every round. */
const TIMES = ['08:30', '10:00', '13:30', '15:00', '16:30'];
/** The api's pool is 10 connections (packages/db data-source); the baseline gets the same. */
const BASELINE_POOL = 10;

interface Attempt {
  cluster: number | null;
  patientId: string;
  practitionerId: string;
  roomId: string;
  typeId: string;
  start: Date;
}

interface Outcome {
  ms: number;
  status: number;
  /** What a 409 names (`practitioner`, `room`, `patient`, or the constraint for the baseline). */
  clash?: string;
}

interface SideResult {
  side: string;
  requests: number;
  seconds: number;
  perSecond: number;
  latency: Distribution;
  statuses: Record<string, number>;
  clashes: Record<string, number>;
  clusters: number;
  clustersWithOneWinner: number;
  freeBooked: number;
  freeRequested: number;
}

/** The weekdays of the fortnight starting at `monday` + `weekOffset` weeks, as local dates. */
function weekdays(monday: string, weekOffset: number): string[] {
  const first = Date.parse(`${monday}T00:00:00Z`) + weekOffset * 7 * DAY;
  return Array.from({ length: 14 }, (_, i) => new Date(first + i * DAY))
    .filter((d) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5)
    .map((d) => d.toISOString().slice(0, 10));
}

/** Round plans: every round has its own (day, time); the same shape for both sides. */
function plan(clinic: BusyClinic, days: string[], rounds: number): Attempt[][] {
  const practitioners = clinic.addedPractitionerIds;
  const rooms = clinic.addedRoomIds;
  if (
    practitioners.length < CONTENDED + FREE_BOOKINGS ||
    rooms.length < CONTENDED + FREE_BOOKINGS
  ) {
    throw new Error('not enough bench practitioners or rooms for the plan');
  }
  const slots = days.flatMap((day) => TIMES.map((time) => ({ day, time })));
  if (slots.length < rounds) throw new Error(`only ${slots.length} round times available`);
  return slots.slice(0, rounds).map(({ day, time }, round) => {
    const at = localInstant(ZONE, day, time);
    let patient = 0;
    const attempts: Attempt[] = [];
    for (let c = 0; c < CONTENDED; c++) {
      for (let r = 0; r < RACERS; r++) {
        // Mixed durations and starts 15 minutes apart: every pair overlaps once buffers are counted.
        attempts.push({
          cluster: round * CONTENDED + c,
          patientId: clinic.patientIds[patient++]!,
          practitionerId: practitioners[c]!,
          roomId: rooms[c]!,
          typeId: r % 2 === 0 ? clinic.typeIds.dryNeedling30 : clinic.typeIds.evaluation60,
          start: new Date(at.getTime() + (r % 4 < 2 ? 0 : 15) * MIN),
        });
      }
    }
    for (let f = 0; f < FREE_BOOKINGS; f++) {
      attempts.push({
        cluster: null,
        patientId: clinic.patientIds[patient++]!,
        practitionerId: practitioners[CONTENDED + f]!,
        roomId: rooms[CONTENDED + f]!,
        typeId: clinic.typeIds.dryNeedling30,
        start: at,
      });
    }
    // Interleave so no cluster's racers all leave first.
    return attempts.sort((a, b) => (a.patientId < b.patientId ? -1 : 1));
  });
}

async function race(
  rounds: Attempt[][],
  send: (a: Attempt) => Promise<Omit<Outcome, 'ms'>>,
): Promise<{ outcomes: (Outcome & Attempt)[]; seconds: number }> {
  const outcomes: (Outcome & Attempt)[] = [];
  let seconds = 0;
  for (const round of rounds) {
    const { ms: roundMs, value } = await timed(() =>
      Promise.all(
        round.map(async (a) => {
          const { ms: took, value: result } = await timed(() => send(a));
          return { ...a, ...result, ms: took };
        }),
      ),
    );
    seconds += roundMs / 1000;
    outcomes.push(...value);
  }
  return { outcomes, seconds };
}

function summarise(side: string, outcomes: (Outcome & Attempt)[], seconds: number): SideResult {
  const count = (xs: (string | undefined)[]) =>
    xs.reduce<Record<string, number>>(
      (acc, x) => (x === undefined ? acc : { ...acc, [x]: (acc[x] ?? 0) + 1 }),
      {},
    );
  const winners = new Map<number, number>();
  for (const o of outcomes)
    if (o.cluster !== null)
      winners.set(o.cluster, (winners.get(o.cluster) ?? 0) + (o.status === 201 ? 1 : 0));
  const free = outcomes.filter((o) => o.cluster === null);
  return {
    side,
    requests: outcomes.length,
    seconds,
    perSecond: outcomes.length / seconds,
    latency: distribution(outcomes.map((o) => o.ms)),
    statuses: count(outcomes.map((o) => String(o.status))),
    clashes: count(outcomes.map((o) => o.clash)),
    clusters: winners.size,
    clustersWithOneWinner: [...winners.values()].filter((n) => n === 1).length,
    freeBooked: free.filter((o) => o.status === 201).length,
    freeRequested: free.length,
  };
}

async function overlapsAfter(stack: Stack): Promise<Record<string, number>> {
  const [row] = await stack.db.dataSource.query(
    `SELECT count(*) FILTER (WHERE a.practitioner_id = b.practitioner_id)::int AS practitioner,
            count(*) FILTER (WHERE a.room_id = b.room_id)::int AS room,
            count(*) FILTER (WHERE a.patient_id = b.patient_id)::int AS patient,
            count(*)::int AS total
       FROM appointments a
       JOIN appointments b ON a.id < b.id AND a.occupied && b.occupied
        AND (a.practitioner_id = b.practitioner_id OR a.room_id = b.room_id OR a.patient_id = b.patient_id)
      WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`,
  );
  return row as Record<string, number>;
}

export async function bookingContentionBench(): Promise<void> {
  const started = Date.now();
  heading(
    `Booking under contention: ${ROUNDS} rounds × (${CONTENDED} practitioners × ${RACERS} racing clients + ${FREE_BOOKINGS} uncontested) = ` +
      `${ROUNDS * (CONTENDED * RACERS + FREE_BOOKINGS)} requests per side, each round fired at once`,
  );
  const stack = await startStack('bench-booking');
  const pool = new Pool({ connectionString: stack.databaseUrl, max: BASELINE_POOL });
  try {
    const clinic = await seedBusyClinic(stack.db.dataSource, stack.demo, {
      practitioners: 2 + CONTENDED + FREE_BOOKINGS,
      rooms: 4 + CONTENDED + FREE_BOOKINGS,
      patients: CONTENDED * RACERS + FREE_BOOKINGS,
      appointments: 0,
    });
    const types = new Map<string, { before: number; after: number; minutes: number }>(
      (
        (await stack.db.dataSource.query(
          `SELECT id, duration_minutes, buffer_before_minutes, buffer_after_minutes FROM appointment_types`,
        )) as {
          id: string;
          duration_minutes: number;
          buffer_before_minutes: number;
          buffer_after_minutes: number;
        }[]
      ).map((t) => [
        t.id,
        {
          minutes: t.duration_minutes,
          before: t.buffer_before_minutes,
          after: t.buffer_after_minutes,
        },
      ]),
    );
    const login = await fetch(`${stack.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'scheduler@tautline.test', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };

    const overApi = async (a: Attempt): Promise<Omit<Outcome, 'ms'>> => {
      const res = await fetch(`${stack.apiUrl}/api/v1/appointments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({
          clinicId: clinic.clinicId,
          patientId: a.patientId,
          practitionerId: a.practitionerId,
          roomId: a.roomId,
          appointmentTypeId: a.typeId,
          start: a.start.toISOString(),
        }),
      });
      const body = (await res.json()) as { resource?: string; detail?: string };
      if (res.status !== 201 && res.status !== 409)
        console.warn(`unexpected ${res.status}: ${body.detail}`);
      return {
        status: res.status,
        clash: res.status === 409 ? (body.resource ?? 'unnamed') : undefined,
      };
    };
    const direct = async (a: Attempt): Promise<Omit<Outcome, 'ms'>> => {
      const t = types.get(a.typeId)!;
      // connect/release rather than pool.query: pg-pool destroys a connection whose query failed,
      // and reconnecting after every 23P01 would measure connection set-up, not the constraint.
      const client = await pool.connect();
      try {
        await client.query(
          `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
             starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
          [
            stack.demo.organisationId,
            clinic.clinicId,
            a.patientId,
            a.practitionerId,
            a.roomId,
            a.typeId,
            a.start,
            new Date(a.start.getTime() + t.minutes * MIN),
            t.before,
            t.after,
            clinic.schedulerUserId,
          ],
        );
        return { status: 201 };
      } catch (error) {
        const e = error as { code?: string; constraint?: string; message: string };
        if (e.code === '23P01')
          return {
            status: 409,
            clash: e.constraint?.replace(/^appointments_no_(\w+)_overlap$/, '$1') ?? 'unnamed',
          };
        console.warn(`unexpected database error ${e.code}: ${e.message}`);
        return { status: 500 };
      } finally {
        client.release();
      }
    };

    // Weeks 1–2 for the api, 3–4 for the baseline, week 5 to warm both up.
    const monday = nextMondayDate(ZONE, 1);
    const [warmApi, warmDirect] = plan(clinic, weekdays(monday, 4), 2);
    await race([warmApi!], overApi);
    await race([warmDirect!], direct);

    const api = await race(plan(clinic, weekdays(monday, 0), ROUNDS), overApi);
    const baseline = await race(plan(clinic, weekdays(monday, 2), ROUNDS), direct);
    const results = [
      summarise('API  POST /api/v1/appointments', api.outcomes, api.seconds),
      summarise('SQL  INSERT via pg (baseline)', baseline.outcomes, baseline.seconds),
    ];
    const overlaps = await overlapsAfter(stack);

    const other = (r: SideResult) =>
      Object.entries(r.statuses)
        .filter(([s]) => s !== '201' && s !== '409')
        .map(([s, n]) => `${n}×${s}`)
        .join(' ') || '0';
    console.log(
      table([
        [
          'path',
          'requests',
          'wall s',
          'req/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          '201',
          '409',
          'other',
          'one winner per race',
          'uncontested booked',
        ],
        ...results.map((r) => [
          r.side,
          r.requests,
          ms(r.seconds, 2),
          ms(r.perSecond, 0),
          ms(r.latency.p50),
          ms(r.latency.p99),
          ms(r.latency.max),
          r.statuses['201'] ?? 0,
          r.statuses['409'] ?? 0,
          other(r),
          `${r.clustersWithOneWinner}/${r.clusters}`,
          `${r.freeBooked}/${r.freeRequested}`,
        ]),
      ]),
    );
    const [a, b] = results as [SideResult, SideResult];
    console.log(
      `API vs bare INSERT: throughput ÷${(b.perSecond / a.perSecond).toFixed(1)}, p50 ×${(a.latency.p50 / b.latency.p50).toFixed(1)}, ` +
        `p99 ×${(a.latency.p99 / b.latency.p99).toFixed(1)} (both through ${BASELINE_POOL} database connections).`,
    );
    console.log(
      `409s name: API ${JSON.stringify(a.clashes)}; baseline constraint ${JSON.stringify(b.clashes)}.`,
    );
    console.log(
      `Overlapping active appointments afterwards (self-join on occupied && occupied, same practitioner, room or patient): ` +
        `${overlaps.total} (practitioner ${overlaps.practitioner}, room ${overlaps.room}, patient ${overlaps.patient}).`,
    );
    const file = writeResults('booking-contention', {
      plan: {
        rounds: ROUNDS,
        contendedPractitioners: CONTENDED,
        racers: RACERS,
        uncontested: FREE_BOOKINGS,
        baselinePool: BASELINE_POOL,
      },
      results,
      overlaps,
      seconds: (Date.now() - started) / 1000,
    });
    console.log(
      `\nbooking-contention: ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${file}`,
    );
  } finally {
    await pool.end();
    await stack.stop();
  }
}

if (require.main === module) runAsScript(bookingContentionBench);
