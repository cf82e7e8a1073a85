/**
 * Puts `parent`'s children (keyed by `data-session`) in `wanted` order with the fewest DOM moves:
 * the children already in order (a longest increasing subsequence) stay, the others move. Moving
 * one tile to the front of 200 is one move, not 199 re-inserts (and their style and layout).
 */
export function reorderChildren(parent: HTMLElement, wanted: readonly string[]): number {
  const target = new Map(wanted.map((id, i) => [id, i]));
  const nodes = new Map<string, Element>();
  const sequence: number[] = [];
  for (const child of parent.children) {
    const id = child.getAttribute('data-session');
    const index = id === null ? undefined : target.get(id);
    if (index === undefined) continue;
    nodes.set(id!, child);
    sequence.push(index);
  }
  const keep = increasingSubsequence(sequence);
  let moves = 0;
  let next: Element | null = null;
  for (let i = wanted.length - 1; i >= 0; i--) {
    const node = nodes.get(wanted[i]!);
    if (!node) continue;
    if (!keep.has(i)) {
      parent.insertBefore(node, next);
      moves++;
    }
    next = node;
  }
  return moves;
}

/** The values of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
export function increasingSubsequence(values: readonly number[]): Set<number> {
  const tails: number[] = []; // index into values of the smallest tail of each length
  const previous = new Array<number>(values.length).fill(-1);
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const kept = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!)
    kept.add(values[i]!);
  return kept;
}
