import { toEpochMs } from './calendar.schemas';
import { lowerBound, type TimeRange } from './time-range';

const MINUTE = 60_000;

/** The parts of a booking that decide which time it takes up. */
export interface OccupyingBooking {
  start: string;
  end: string;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/**
 * The time a booking takes from its practitioner, room and patient: the appointment plus its
 * own preparation and clean-up buffers, `[start − before, end + after)`. The database exclusion
 * constraints use the same range (Key decision 2).
 */
export function occupiedRange(booking: OccupyingBooking): TimeRange {
  return {
    start: toEpochMs(booking.start) - booking.bufferBeforeMinutes * MINUTE,
    end: toEpochMs(booking.end) + booking.bufferAfterMinutes * MINUTE,
  };
}

/**
 * The occupied ranges of one resource (a practitioner, a room or a patient), answering
 * "is anything booked in `[start, end)`?" in O(log n): ranges sorted by start, with the
 * running maximum of their ends, so the ranges starting before `end` are a prefix and one
 * look at its maximum end says whether any reaches past `start`.
 */
export class OccupancyIndex {
  private readonly starts: number[];
  private readonly maxEnds: number[];

  private constructor(sorted: readonly TimeRange[]) {
    this.starts = sorted.map((r) => r.start);
    let runningMax = Number.NEGATIVE_INFINITY;
    this.maxEnds = sorted.map((r) => (runningMax = Math.max(runningMax, r.end)));
  }

  static of(ranges: readonly TimeRange[]): OccupancyIndex {
    return new OccupancyIndex([...ranges].sort((a, b) => a.start - b.start));
  }

  static readonly EMPTY = OccupancyIndex.of([]);

  isFree(start: number, end: number): boolean {
    const startingBefore = lowerBound(this.starts, end);
    return startingBefore === 0 || (this.maxEnds[startingBefore - 1] as number) <= start;
  }
}

/** A booking with its occupied range worked out once, to be indexed under several resources. */
export interface Occupancy<B> {
  booking: B;
  range: TimeRange;
}

export function occupancies<B extends OccupyingBooking>(bookings: readonly B[]): Occupancy<B>[] {
  return bookings.map((booking) => ({ booking, range: occupiedRange(booking) }));
}

/** One index per resource id, e.g. `indexBy(occupancies(bookings), (b) => b.roomId)`. */
export function indexBy<B>(
  items: readonly Occupancy<B>[],
  resourceOf: (booking: B) => string,
): Map<string, OccupancyIndex> {
  const grouped = new Map<string, TimeRange[]>();
  for (const { booking, range } of items) {
    const key = resourceOf(booking);
    const list = grouped.get(key);
    if (list) list.push(range);
    else grouped.set(key, [range]);
  }
  return new Map([...grouped].map(([key, ranges]) => [key, OccupancyIndex.of(ranges)]));
}
