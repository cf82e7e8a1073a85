// The "busy clinic" of issue 3: 20 practitioners, 15 rooms, 5,000 appointments over two weeks.
// `busyClinicInput` is the engine's input exactly as packages/domain/src/scheduling/slot-engine.scale.spec.ts
// builds it; `seedBusyClinic` writes a clinic of the same size into a real (demo-seeded) database.
import { type SeededDemo, type TestDatabase } from '@tautline/db';
import { ClinicClock } from '@tautline/domain';
export {
  busyClinicInput,
  DAY,
  MIN,
  PURE_FROM,
  PURE_TO,
} from '../../../packages/domain/src/scheduling/testing/busy-clinic.fixture';
import {
  DAY,
  MIN,
  seeded,
} from '../../../packages/domain/src/scheduling/testing/busy-clinic.fixture';

export interface BusyClinic {
  clinicId: string;
  /** All 20 practitioners at the clinic (the demo's two plus the bench's). */
  practitionerIds: string[];
  /** All 15 rooms at the clinic (the demo's four plus the bench's). */
  roomIds: string[];
  /** The practitioners and rooms this bench added (Mon–Fri 08:00–12:30 and 13:30–19:00 local). */
  addedPractitionerIds: string[];
  addedRoomIds: string[];
  /** Rooms with a stimulator among them. */
  stimulatorRoomIds: string[];
  /** Bench patients, each with dry-needling and e-stim consent. */
  patientIds: string[];
  typeIds: { dryNeedling30: string; estim45: string; evaluation60: string };
  schedulerUserId: string;
  /** Rows written to `appointments` (active + cancelled). */
  appointments: { active: number; cancelled: number; roomOccupancy: number };
}

export interface BusyClinicOptions {
  /** Practitioners at the clinic in all (demo ones included). */
  practitioners?: number;
  /** Rooms at the clinic in all (demo ones included). */
  rooms?: number;
  patients?: number;
  /** Appointment rows to write inside [from, from + days); 0 writes none. */
  appointments?: number;
  from?: Date;
  days?: number;
}

const LOCAL_HOURS = [
  ['08:00', '12:30'],
  ['13:30', '19:00'],
] as const;

/**
 * Grows the demo's London Bridge to the busy clinic: practitioners (certified, e-stim qualified,
 * Mon–Fri 08:00–12:30 and 13:30–19:00 local), rooms (a third with a stimulator), consenting
 * patients, and a diary that the exclusion constraints accept: active appointments are laid
 * out round the clock (as in the scale spec, 5,000 do not fit in working hours) by a sweep that
 * never double-books a room, practitioner or patient; 10% are cancelled rows placed anywhere.
 */
export async function seedBusyClinic(
  ds: TestDatabase['dataSource'],
  demo: SeededDemo,
  options: BusyClinicOptions = {},
): Promise<BusyClinic> {
  const {
    practitioners = 20,
    rooms = 15,
    patients = 2_000,
    appointments = 5_000,
    days = 14,
  } = options;
  const organisationId = demo.organisationId;
  const clinicId = demo.clinicIds['london-bridge']!;
  const schedulerUserId = demo.userIds['scheduler@tautline.test']!;
  const q = <T = { id: string }>(sql: string, params: unknown[] = []) =>
    ds.query(sql, params) as Promise<T[]>;

  const existingPractitioners = (
    await q(
      `SELECT practitioner_id AS id FROM practitioner_clinics WHERE clinic_id = $1 ORDER BY practitioner_id`,
      [clinicId],
    )
  ).map((r) => r.id);
  const added = (
    await q(
      `INSERT INTO practitioners (organisation_id, name, credentials, dry_needling_cert_expires_on, estim_qualified)
       SELECT $1, 'Bench Practitioner ' || n, 'MCSP', DATE '2030-12-31', true
         FROM generate_series(1, $2::int) n RETURNING id`,
      [organisationId, Math.max(0, practitioners - existingPractitioners.length)],
    )
  ).map((r) => r.id);
  await q(
    `INSERT INTO practitioner_clinics (practitioner_id, clinic_id, organisation_id) SELECT unnest($1::uuid[]), $2, $3`,
    [added, clinicId, organisationId],
  );
  for (const [start, end] of LOCAL_HOURS) {
    await q(
      `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from)
       SELECT $1, p, $2, d, $3::time, $4::time, DATE '2026-01-05' FROM unnest($5::uuid[]) p, generate_series(1, 5) d`,
      [organisationId, clinicId, start, end, added],
    );
  }

  const existingRooms = await q<{ id: string; has_stimulator: boolean }>(
    `SELECT id, has_stimulator FROM rooms WHERE clinic_id = $1 ORDER BY name`,
    [clinicId],
  );
  const newRooms = await q<{ id: string; has_stimulator: boolean }>(
    `INSERT INTO rooms (organisation_id, clinic_id, name, has_stimulator)
     SELECT $1, $2, 'Bench room ' || lpad(n::text, 2, '0'), n <= 3 FROM generate_series(1, $3::int) n RETURNING id, has_stimulator`,
    [organisationId, clinicId, Math.max(0, rooms - existingRooms.length)],
  );
  const allRooms = [...existingRooms, ...newRooms];

  const patientIds = (
    await q(
      `INSERT INTO patients (organisation_id, clinic_id, given_name, family_name, date_of_birth, email, preferred_channel, time_zone)
       SELECT $1, $2, 'Bench', 'Patient ' || n, DATE '1980-01-01' + n, 'bench.patient' || n || '@example.com', 'email', 'Europe/London'
         FROM generate_series(1, $3::int) n RETURNING id`,
      [organisationId, clinicId, patients],
    )
  ).map((r) => r.id);
  for (const [kind, version] of [
    ['dry_needling', 'DN-2026.1'],
    ['estim', 'ES-2026.1'],
  ] as const) {
    await q(
      `INSERT INTO patient_consents (patient_id, organisation_id, kind, signed_on, version)
       SELECT unnest($1::uuid[]), $2, $3, DATE '2026-02-02', $4`,
      [patientIds, organisationId, kind, version],
    );
  }

  const types = await q<{
    id: string;
    name: string;
    duration_minutes: number;
    buffer_before_minutes: number;
    buffer_after_minutes: number;
    uses_estim: boolean;
  }>(
    `SELECT id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, uses_estim FROM appointment_types WHERE organisation_id = $1`,
    [organisationId],
  );
  const type = (name: string) => {
    const t = types.find((x) => x.name === name);
    if (!t) throw new Error(`demo appointment type missing: ${name}`);
    return t;
  };
  const typeIds = {
    dryNeedling30: type('Dry needling 30 min').id,
    estim45: type('Dry needling + e-stim 45 min').id,
    evaluation60: type('Initial evaluation 60 min').id,
  };
  const practitionerIds = [...existingPractitioners, ...added];
  const diary = layOutDiary({
    count: appointments,
    from: (options.from ?? new Date()).getTime(),
    days,
    practitionerIds,
    rooms: allRooms.map((r) => ({ id: r.id, hasStimulator: r.has_stimulator })),
    patientIds,
    types: [
      type('Dry needling 30 min'),
      type('Dry needling + e-stim 45 min'),
      type('Initial evaluation 60 min'),
    ].map((t) => ({
      id: t.id,
      minutes: t.duration_minutes,
      before: t.buffer_before_minutes,
      after: t.buffer_after_minutes,
      estim: t.uses_estim,
    })),
  });
  for (let i = 0; i < diary.rows.length; i += 1_000) {
    const batch = diary.rows.slice(i, i + 1_000);
    const col = <K extends keyof DiaryRow>(k: K) => batch.map((r) => r[k]);
    await q(
      `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
         starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, status, cancelled_reason, created_by)
       SELECT $1, $2, u.patient, u.practitioner, u.room, u.type, u.starts, u.ends, u.before, u.after, u.status,
              CASE WHEN u.status = 'cancelled' THEN 'Bench: cancelled by the patient' END, $3
         FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::timestamptz[], $9::timestamptz[], $10::int[], $11::int[], $12::text[])
           AS u(patient, practitioner, room, type, starts, ends, before, after, status)`,
      [
        organisationId,
        clinicId,
        schedulerUserId,
        col('patientId'),
        col('practitionerId'),
        col('roomId'),
        col('typeId'),
        col('startsAt'),
        col('endsAt'),
        col('before'),
        col('after'),
        col('status'),
      ],
    );
  }
  await q(`ANALYZE appointments`);
  return {
    clinicId,
    practitionerIds,
    roomIds: allRooms.map((r) => r.id),
    addedPractitionerIds: added,
    addedRoomIds: newRooms.map((r) => r.id),
    stimulatorRoomIds: allRooms.filter((r) => r.has_stimulator).map((r) => r.id),
    patientIds,
    typeIds,
    schedulerUserId,
    appointments: {
      active: diary.active,
      cancelled: diary.rows.length - diary.active,
      roomOccupancy: diary.roomOccupancy,
    },
  };
}

interface DiaryRow {
  patientId: string;
  practitionerId: string;
  roomId: string;
  typeId: string;
  startsAt: string;
  endsAt: string;
  before: number;
  after: number;
  status: 'booked' | 'confirmed' | 'cancelled';
}

/**
 * A sweep over time: the room that frees up first takes the next appointment, with a free
 * practitioner and patient (each remembers when it is free again), so no two active rows clash.
 */
function layOutDiary(p: {
  count: number;
  from: number;
  days: number;
  practitionerIds: string[];
  rooms: { id: string; hasStimulator: boolean }[];
  patientIds: string[];
  types: { id: string; minutes: number; before: number; after: number; estim: boolean }[];
}): { rows: DiaryRow[]; active: number; roomOccupancy: number } {
  const random = seeded(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const end = p.from + p.days * DAY;
  const grid = (t: number) => Math.ceil(t / (5 * MIN)) * 5 * MIN;
  const roomFree = p.rooms.map(() => grid(p.from + Math.floor(random() * 12) * 5 * MIN));
  const practitionerFree = new Map(p.practitionerIds.map((id) => [id, 0]));
  const patientFree = new Map(p.patientIds.map((id) => [id, 0]));
  const rows: DiaryRow[] = [];
  const cancelledTarget = Math.round(p.count * 0.1);
  let occupiedMs = 0;

  while (rows.length < p.count - cancelledTarget) {
    // The room that is free soonest; ties by index.
    let r = 0;
    for (let i = 1; i < roomFree.length; i++) if (roomFree[i]! < roomFree[r]!) r = i;
    const room = p.rooms[r]!;
    const roll = random();
    const type =
      roll < 0.7 || (roll < 0.85 && !room.hasStimulator)
        ? p.types[0]!
        : roll < 0.85
          ? p.types[1]!
          : p.types[2]!;
    const occupiedFrom = roomFree[r]!;
    const startsAt = occupiedFrom + type.before * MIN;
    const endsAt = startsAt + type.minutes * MIN;
    const occupiedTo = endsAt + type.after * MIN;
    if (occupiedTo > end)
      throw new Error(
        `the diary does not fit: ${rows.length} appointments placed before the window ended`,
      );
    const practitioners = p.practitionerIds.filter(
      (id) => practitionerFree.get(id)! <= occupiedFrom,
    );
    let patient = pick(p.patientIds);
    for (let tries = 0; patientFree.get(patient)! > occupiedFrom && tries < 20; tries++)
      patient = pick(p.patientIds);
    if (practitioners.length === 0 || patientFree.get(patient)! > occupiedFrom) {
      roomFree[r] = occupiedFrom + 5 * MIN; // nobody free: the room idles for five minutes
      continue;
    }
    const practitionerId = pick(practitioners);
    practitionerFree.set(practitionerId, occupiedTo);
    patientFree.set(patient, occupiedTo);
    // A short gap (0–10 minutes) before the room's next booking.
    roomFree[r] = occupiedTo + Math.floor(random() * 3) * 5 * MIN;
    occupiedMs += occupiedTo - occupiedFrom;
    rows.push({
      patientId: patient,
      practitionerId,
      roomId: room.id,
      typeId: type.id,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      before: type.before,
      after: type.after,
      status: random() < 0.5 ? 'booked' : 'confirmed',
    });
  }
  const active = rows.length;
  // Cancelled rows hold no time, so they may sit anywhere (the exclusion constraints skip them).
  while (rows.length < p.count) {
    const type = pick(p.types);
    const startsAt = grid(p.from + random() * (end - p.from - 2 * 3_600_000));
    const room = pick(p.rooms);
    rows.push({
      patientId: pick(p.patientIds),
      practitionerId: pick(p.practitionerIds),
      roomId: room.id,
      typeId: type.id,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + type.minutes * MIN).toISOString(),
      before: type.before,
      after: type.after,
      status: 'cancelled',
    });
  }
  return { rows, active, roomOccupancy: occupiedMs / (p.rooms.length * (end - p.from)) };
}

/** `YYYY-MM-DD` of the first Monday at least `minDays` days after today in the zone. */
export function nextMondayDate(zone = 'Europe/London', minDays = 1): string {
  const clock = new ClinicClock(zone);
  let day = Date.parse(`${clock.localDate(Date.now())}T00:00:00Z`) + minDays * DAY;
  while (new Date(day).getUTCDay() !== 1) day += DAY;
  return new Date(day).toISOString().slice(0, 10);
}

/** The instant a clinic's clock reads `time` (`HH:mm`) on local `date`, `plusDays` later. */
export function localInstant(zone: string, date: string, time: string, plusDays = 0): Date {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const day = new Date(Date.parse(`${date}T00:00:00Z`) + plusDays * DAY).toISOString().slice(0, 10);
  return new Date(new ClinicClock(zone).instantAt(day, h * 60 + m));
}
