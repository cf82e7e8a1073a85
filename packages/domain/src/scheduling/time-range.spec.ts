import fc from 'fast-check';
import { OccupancyIndex } from './occupancy.index';
import { isCovered, mergeRanges, subtractRanges, type TimeRange } from './time-range';

const r = (start: number, end: number): TimeRange => ({ start, end });
const ranges = fc.array(
  fc.tuple(fc.nat(100), fc.integer({ min: 1, max: 30 })).map(([s, l]) => r(s, s + l)),
  { maxLength: 12 },
);
const inAny = (list: TimeRange[], t: number): boolean =>
  list.some((x) => x.start <= t && t < x.end);

describe('time ranges (half-open)', () => {
  it('merges overlapping and touching ranges, but not ranges with a gap', () => {
    expect(mergeRanges([r(5, 8), r(0, 3), r(3, 4), r(7, 9), r(10, 12), r(6, 6)])).toEqual([
      r(0, 4),
      r(5, 9),
      r(10, 12),
    ]);
  });

  it('subtracts cuts, leaving touching edges', () => {
    expect(subtractRanges([r(0, 10), r(20, 30)], [r(2, 4), r(8, 22), r(29, 40)])).toEqual([
      r(0, 2),
      r(4, 8),
      r(22, 29),
    ]);
  });

  it('merge and subtract keep exactly the right instants (property)', () => {
    fc.assert(
      fc.property(ranges, ranges, (base, cuts) => {
        const merged = mergeRanges(base);
        const rest = subtractRanges(base, cuts);
        for (let t = 0; t < 140; t++) {
          expect(inAny(merged, t)).toBe(inAny(base, t));
          expect(inAny(rest, t)).toBe(inAny(base, t) && !inAny(cuts, t));
        }
        expect(
          rest.every(
            (x, i) => x.start < x.end && (i === 0 || (rest[i - 1] as TimeRange).end < x.start),
          ),
        ).toBe(true);
      }),
    );
  });

  it('finds whether a span lies inside one merged range (property)', () => {
    fc.assert(
      fc.property(ranges, fc.nat(130), fc.integer({ min: 1, max: 40 }), (base, start, length) => {
        const merged = mergeRanges(base);
        const expected = merged.some((x) => x.start <= start && start + length <= x.end);
        expect(
          isCovered(
            merged,
            merged.map((x) => x.start),
            start,
            start + length,
          ),
        ).toBe(expected);
      }),
    );
  });
});

describe('OccupancyIndex', () => {
  it('treats a booking ending exactly when another starts as free', () => {
    const index = OccupancyIndex.of([r(10, 20), r(30, 40)]);
    expect([index.isFree(20, 30), index.isFree(0, 10), index.isFree(40, 50)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([
      index.isFree(19, 21),
      index.isFree(29, 31),
      index.isFree(12, 13),
      index.isFree(0, 100),
    ]).toEqual([false, false, false, false]);
  });

  it('sees a long booking that starts before shorter ones (the running maximum)', () => {
    const index = OccupancyIndex.of([r(15, 16), r(0, 100), r(50, 51)]);
    expect(index.isFree(60, 70)).toBe(false);
  });

  it('agrees with a scan of every booking (property)', () => {
    fc.assert(
      fc.property(ranges, fc.nat(130), fc.integer({ min: 1, max: 40 }), (booked, start, length) => {
        const scan = !booked.some((b) => b.start < start + length && start < b.end);
        expect(OccupancyIndex.of(booked).isFree(start, start + length)).toBe(scan);
      }),
    );
  });
});
