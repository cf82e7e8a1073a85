import { occupiesTime } from './appointment.state-machine';
import { workingTimeByPractitioner } from './availability.expansion';
import { toEpochMs, toIsoUtc } from './calendar.schemas';
import { ClinicClock } from './clinic-clock';
import { OccupancyIndex, indexBy, occupancies } from './occupancy.index';
import { isQualifiedFor, suitableRooms } from './resources.schemas';
import { screenPatient } from './screening.rules';
import { DEFAULT_SLOT_GRID_MINUTES, type Slot, type SlotSearchInput } from './slot-search.schemas';
import { isCovered, mergeRanges, type TimeRange } from './time-range';

const MINUTE = 60_000;

interface Candidate {
  id: string;
  working: TimeRange[];
  workingStarts: number[];
  diary: OccupancyIndex;
  qualifiedOn: (date: string) => boolean;
}

/** Memoises a per-local-date answer (certification, screening): a fortnight has 14 of them. */
function perDate(decide: (date: string) => boolean): (date: string) => boolean {
  const answers = new Map<string, boolean>();
  return (date) => {
    let answer = answers.get(date);
    if (answer === undefined) answers.set(date, (answer = decide(date)));
    return answer;
  };
}

/**
 * Every free start for the appointment type in `[from, to)` (never before `now`), on the
 * clinic's local grid, once per practitioner who can take it, each with the first free
 * suitable room in the caller's room order. Sorted by start, then practitioner order.
 *
 * Rules:
 * - The appointment `[start, end)` must lie inside the practitioner's working time at this
 *   clinic (weekly rules ∪ extra hours − time off − closures). Its buffers need not: they are
 *   preparation and clean-up, which may run outside opening hours, but they must be free.
 * - `[start − bufferBefore, end + bufferAfter)` must not overlap the occupied range (its own
 *   buffers included) of any non-cancelled booking of that practitioner, that room or the patient.
 * - E-stim types need a room with a stimulator and an e-stim qualified practitioner; the
 *   dry-needling certification must be valid on the appointment's local date.
 * - With a patient, their screening must allow the type on that local date.
 * Practitioners offered the same start get the same room: each slot is an alternative.
 *
 * Inputs are trusted (parse them with `SlotSearchInput` at the boundary). Bookings are
 * indexed per resource, so the cost is O(bookings·log + starts·(practitioners + rooms)·log).
 */
export function findSlots(input: SlotSearchInput): Slot[] {
  const { clinic, appointmentType: type } = input;
  const grid = input.gridMinutes ?? DEFAULT_SLOT_GRID_MINUTES;
  const clock = new ClinicClock(clinic.timeZone);
  const from = Math.max(toEpochMs(input.from), toEpochMs(input.now));
  const to = toEpochMs(input.to);
  const duration = type.durationMinutes * MINUTE;
  const before = type.bufferBeforeMinutes * MINUTE;
  const after = type.bufferAfterMinutes * MINUTE;
  if (from >= to) return [];

  const rooms = suitableRooms(input.rooms, clinic.id, type);
  const active = occupancies(
    input.bookings.filter((b) => occupiesTime(b.status) && b.id !== input.ignoreBookingId),
  );
  const byPractitioner = indexBy(active, (b) => b.practitionerId);
  const byRoom = indexBy(active, (b) => b.roomId);
  const patient = input.patient;
  const patientDiary = patient
    ? OccupancyIndex.of(
        active.filter((o) => o.booking.patientId === patient.id).map((o) => o.range),
      )
    : undefined;
  const patientMayHave = perDate(
    (date) => !patient || screenPatient(patient.screening, type, date).allowed,
  );

  // Working time must cover the appointment, which ends `duration` after the last start.
  const working = workingTimeByPractitioner(
    input.availability,
    clinic,
    { from, to: to + duration },
    clock,
  );
  const candidates: Candidate[] = input.practitioners
    .filter((p) => p.clinicIds.includes(clinic.id))
    .filter((p) => input.practitionerId === undefined || p.id === input.practitionerId)
    .flatMap((p) => {
      const ranges = working.get(p.id);
      if (!ranges) return [];
      return [
        {
          id: p.id,
          working: ranges,
          workingStarts: ranges.map((r) => r.start),
          diary: byPractitioner.get(p.id) ?? OccupancyIndex.EMPTY,
          qualifiedOn: perDate((date) => isQualifiedFor(p, type, date)),
        },
      ];
    });
  if (rooms.length === 0 || candidates.length === 0) return [];

  const slots: Slot[] = [];
  // Only starts where someone works are worth trying.
  for (const span of mergeRanges(candidates.flatMap((c) => c.working))) {
    const lastStart = Math.min(to - 1, span.end - duration);
    for (let start = clock.nextOnGrid(Math.max(span.start, from), grid); start <= lastStart; ) {
      const end = start + duration;
      const busyFrom = start - before;
      const busyTo = end + after;
      const date = clock.localDate(start);
      if ((!patientDiary || patientDiary.isFree(busyFrom, busyTo)) && patientMayHave(date)) {
        let room: string | null | undefined; // looked up once, only when a practitioner can take the start
        for (const c of candidates) {
          if (
            !isCovered(c.working, c.workingStarts, start, end) ||
            !c.qualifiedOn(date) ||
            !c.diary.isFree(busyFrom, busyTo)
          )
            continue;
          if (room === undefined) {
            room =
              rooms.find((r) => (byRoom.get(r.id) ?? OccupancyIndex.EMPTY).isFree(busyFrom, busyTo))
                ?.id ?? null;
          }
          if (room === null) break;
          slots.push({
            start: toIsoUtc(start),
            end: toIsoUtc(end),
            practitionerId: c.id,
            roomId: room,
          });
        }
      }
      start = clock.nextOnGrid(start + MINUTE, grid);
    }
  }
  return slots;
}
