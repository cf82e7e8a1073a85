// A deliberately naive slot search for property tests: it reads the clinic clock minute by
// minute with Luxon and scans every booking, sharing no code with the engine.
import { DateTime } from 'luxon';
import { screenPatient } from '../screening.rules';
import type { ExistingBooking, Slot, SlotSearchInput } from '../slot-search.schemas';
import { CLINIC_ID } from './slot-search.fixtures';

const MIN = 60_000;
const STEP = 5 * MIN; // every generated boundary falls on a 5-minute instant

interface Reading {
  date: string;
  weekday: number;
  text: string;
  minute: number;
}

/** Luxon's reading of every minute around a window, and "first minute reading at or after". */
export class MinuteReadings {
  private readonly readings: Reading[] = [];
  private readonly firsts = new Map<string, number>();
  constructor(
    private readonly start: number,
    end: number,
    zone: string,
  ) {
    for (let t = start; t < end; t += MIN) {
      const d = DateTime.fromMillis(t, { zone });
      this.readings.push({
        date: d.toISODate()!,
        weekday: d.weekday,
        text: d.toFormat('yyyy-MM-dd HH:mm'),
        minute: d.minute,
      });
    }
  }
  at(t: number): Reading {
    return this.readings[(t - this.start) / MIN]!;
  }
  firstReading(text: string): number {
    let first = this.firsts.get(text);
    if (first === undefined) {
      const i = this.readings.findIndex((r) => r.text >= text);
      this.firsts.set(text, (first = this.start + i * MIN));
    }
    return first;
  }
}
const readingsCache = new Map<string, MinuteReadings>();
export function readingsFor(zone: string, firstDay: string): MinuteReadings {
  const key = `${zone} ${firstDay}`;
  if (!readingsCache.has(key)) {
    const from = DateTime.fromISO(firstDay, { zone });
    readingsCache.set(
      key,
      new MinuteReadings(
        from.minus({ days: 1 }).toMillis(),
        from.plus({ days: 5 }).toMillis(),
        zone,
      ),
    );
  }
  return readingsCache.get(key)!;
}

export const span = (start: number, end: number) => ({ start, end });
export const overlaps = (
  a: { start: number; end: number },
  b: { start: number; end: number },
): boolean => a.start < b.end && b.start < a.end;
export const occupied = (b: ExistingBooking) =>
  span(
    Date.parse(b.start) - b.bufferBeforeMinutes * MIN,
    Date.parse(b.end) + b.bufferAfterMinutes * MIN,
  );

/** Is the practitioner at work at minute `t`? Rules run from the first minute the clock reads their start to the first it reads their end. */
export function working(
  input: SlotSearchInput,
  clock: MinuteReadings,
  who: string,
  t: number,
): boolean {
  const r = clock.at(t);
  const { rules, exceptions, closures } = input.availability;
  const inRule = rules.some(
    (rule) =>
      rule.practitionerId === who &&
      rule.weekday === r.weekday &&
      rule.effectiveFrom <= r.date &&
      (rule.effectiveTo === null || r.date <= rule.effectiveTo) &&
      clock.firstReading(`${r.date} ${rule.start}`) <= t &&
      t < clock.firstReading(`${r.date} ${rule.end}`),
  );
  const inside = (e: { start: string; end: string }): boolean =>
    Date.parse(e.start) <= t && t < Date.parse(e.end);
  const extra = exceptions.some(
    (e) =>
      e.practitionerId === who && e.kind === 'extra_hours' && e.clinicId === CLINIC_ID && inside(e),
  );
  const off = exceptions.some(
    (e) =>
      e.practitionerId === who &&
      e.kind === 'time_off' &&
      (e.clinicId ?? CLINIC_ID) === CLINIC_ID &&
      inside(e),
  );
  const closed = closures.some((c) => ('date' in c ? c.date === r.date : inside(c)));
  return (inRule || extra) && !off && !closed;
}

/** The same search done the slow, obvious way. */
export function referenceSlots(input: SlotSearchInput, clock: MinuteReadings): Slot[] {
  const type = input.appointmentType;
  const active = input.bookings.filter((b) => b.status !== 'cancelled');
  const slots: Slot[] = [];
  for (let start = Date.parse(input.from); start < Date.parse(input.to); start += STEP) {
    const { date, minute } = clock.at(start);
    if (start < Date.parse(input.now) || minute % (input.gridMinutes ?? 15) !== 0) continue;
    const end = start + type.durationMinutes * MIN;
    const busy = span(start - type.bufferBeforeMinutes * MIN, end + type.bufferAfterMinutes * MIN);
    const free = (clashes: (b: ExistingBooking) => boolean): boolean =>
      !active.some((b) => clashes(b) && overlaps(busy, occupied(b)));
    if (
      input.patient &&
      (!free((b) => b.patientId === input.patient!.id) ||
        !screenPatient(input.patient.screening, type, date).allowed)
    )
      continue;
    for (const p of input.practitioners) {
      if (
        !p.clinicIds.includes(CLINIC_ID) ||
        (input.practitionerId && p.id !== input.practitionerId)
      )
        continue;
      if (
        (type.usesEstim && !p.estimQualified) ||
        (type.requiresDryNeedlingCert &&
          !(p.dryNeedlingCertExpiresOn && p.dryNeedlingCertExpiresOn >= date))
      )
        continue;
      let atWork = true;
      for (let t = start; t < end && atWork; t += STEP) atWork = working(input, clock, p.id, t);
      if (!atWork || !free((b) => b.practitionerId === p.id)) continue;
      const r = input.rooms.find(
        (x) =>
          x.clinicId === CLINIC_ID &&
          x.active &&
          (!type.usesEstim || x.hasStimulator) &&
          free((b) => b.roomId === x.id),
      );
      if (r)
        slots.push({
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
          practitionerId: p.id,
          roomId: r.id,
        });
    }
  }
  return slots;
}
