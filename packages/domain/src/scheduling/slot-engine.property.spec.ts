import fc from 'fast-check';
import { findSlots } from './slot-engine';
import {
  overlaps,
  occupied,
  readingsFor,
  referenceSlots,
  span,
  working,
} from './testing/slot-engine.oracle';
import {
  slotSearchScenario as scenario,
  toSlotSearchInput as toInput,
} from './testing/slot-search.arbitraries';

// Random diaries over three local days, often across a DST change, checked against a
// deliberately naive oracle that reads the clinic clock minute by minute with Luxon.
const MIN = 60_000;
const STEP = 5 * MIN;

describe('findSlots, property-based', () => {
  it('never returns a slot whose occupied range overlaps an active booking of its practitioner, room or patient', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = toInput(s);
        const type = input.appointmentType;
        const clashes = findSlots(input).flatMap((slot) => {
          const busy = span(
            Date.parse(slot.start) - type.bufferBeforeMinutes * MIN,
            Date.parse(slot.end) + type.bufferAfterMinutes * MIN,
          );
          return input.bookings
            .filter(
              (b) =>
                b.status !== 'cancelled' &&
                (b.practitionerId === slot.practitionerId ||
                  b.roomId === slot.roomId ||
                  b.patientId === input.patient?.id),
            )
            .filter((b) => overlaps(busy, occupied(b)))
            .map((b) => ({ slot, booking: b }));
        });
        expect(clashes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('only returns slots inside the practitioner’s working time, on the local grid, from now on', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = toInput(s);
        const clock = readingsFor(s.window[0], s.window[1]);
        const misplaced = findSlots(input).filter((slot) => {
          const start = Date.parse(slot.start);
          let atWork = true;
          for (let t = start; t < Date.parse(slot.end) && atWork; t += STEP)
            atWork = working(input, clock, slot.practitionerId, t);
          return (
            !atWork ||
            start < Date.parse(input.now) ||
            start >= Date.parse(input.to) ||
            clock.at(start).minute % s.grid !== 0
          );
        });
        expect(misplaced).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('finds exactly what a brute-force search finds', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = toInput(s);
        expect(findSlots(input)).toEqual(
          referenceSlots(input, readingsFor(s.window[0], s.window[1])),
        );
      }),
      { numRuns: 200 },
    );
  });
});
