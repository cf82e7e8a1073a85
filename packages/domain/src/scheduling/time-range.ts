/** A half-open span of time `[start, end)` in epoch milliseconds: touching ranges do not overlap. */
export interface TimeRange {
  start: number;
  end: number;
}

export function rangesOverlap(a: TimeRange, b: TimeRange): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Index of the first element of ascending `values` that is >= `x` (values.length when none). */
export function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted, disjoint ranges covering the same time; touching ranges join (09–12 + 12–15 = 09–15). */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => r.start < r.end).sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

/** `base` minus every range of `cuts`, both taken as sets of instants; the result is merged. */
export function subtractRanges(
  base: readonly TimeRange[],
  cuts: readonly TimeRange[],
): TimeRange[] {
  const remaining = mergeRanges(base);
  const holes = mergeRanges(cuts);
  const result: TimeRange[] = [];
  let h = 0;
  for (const range of remaining) {
    let start = range.start;
    while (h < holes.length && (holes[h] as TimeRange).end <= start) h++;
    for (let i = h; i < holes.length && (holes[i] as TimeRange).start < range.end; i++) {
      const hole = holes[i] as TimeRange;
      if (hole.start > start) result.push({ start, end: hole.start });
      start = Math.max(start, hole.end);
    }
    if (start < range.end) result.push({ start, end: range.end });
  }
  return result;
}

/**
 * Whether `[start, end)` lies wholly inside one range of sorted, merged `ranges`
 * (given with their starts, for the binary search).
 */
export function isCovered(
  ranges: readonly TimeRange[],
  starts: readonly number[],
  start: number,
  end: number,
): boolean {
  const i = lowerBound(starts, start + 1) - 1; // last range starting at or before `start`
  const range = ranges[i];
  return range !== undefined && end <= range.end;
}
