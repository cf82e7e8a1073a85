import { mulberry32 } from '@tautline/domain';

/** A seeded source of numbers in [0, 1): the same seed gives the same simulation. */
export type Random = () => number;

/** One 32-bit seed from several numbers (the run's seed, a device, a cycle), well mixed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  }
  return h >>> 0;
}

export function seededRandom(...parts: number[]): Random {
  return mulberry32(mixSeed(...parts));
}

export const between = (rnd: Random, min: number, max: number): number => min + (max - min) * rnd();

/** A whole number from `min` to `max`, both included. */
export const wholeBetween = (rnd: Random, min: number, max: number): number =>
  min + Math.floor(rnd() * (max - min + 1));

export function pick<T>(rnd: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(rnd() * items.length)]!;
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(rnd: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
