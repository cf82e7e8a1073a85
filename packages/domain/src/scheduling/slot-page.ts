import { z } from 'zod';
import { type Slot } from './slot-search.schemas';

/**
 * Slot answers are bounded (OWASP API4): a month of 5-minute starts times every practitioner is
 * tens of megabytes. A page holds at most `limit` slots in (start, practitionerId) order; its
 * cursor names the last one, and the next page starts right after it.
 */
export const SLOT_PAGE_DEFAULT = 200;
export const SLOT_PAGE_MAX = 500;

export interface SlotCursor {
  startMs: number;
  practitionerId: string;
}

const CURSOR = /^(\d{1,15})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The cursor as the API sends it (`<epoch ms>.<practitioner id>`): opaque to clients, URL-safe. */
export function encodeSlotCursor(slot: Pick<Slot, 'start' | 'practitionerId'>): string {
  return `${Date.parse(slot.start)}.${slot.practitionerId}`;
}

export const SlotCursorParam = z.string().transform((value, ctx): SlotCursor => {
  const match = CURSOR.exec(value);
  if (!match?.[1] || !match[2]) {
    ctx.issues.push({ code: 'custom', input: value, message: 'is not a cursor this API gave out' });
    return z.NEVER;
  }
  return { startMs: Number(match[1]), practitionerId: match[2] };
});

const compare = (a: { startMs: number; practitionerId: string }, b: typeof a) =>
  a.startMs - b.startMs ||
  (a.practitionerId < b.practitionerId ? -1 : a.practitionerId > b.practitionerId ? 1 : 0);
const keyOf = (s: Slot) => ({ startMs: Date.parse(s.start), practitionerId: s.practitionerId });

/** One page of slots after `after` (exclusive), and the cursor of the next page (null on the last). */
export function pageSlots(
  slots: readonly Slot[],
  { limit, after }: { limit: number; after?: SlotCursor | undefined },
): { slots: Slot[]; nextCursor: string | null } {
  const ordered = slots
    .filter((s) => !after || compare(keyOf(s), after) > 0)
    .sort((a, b) => compare(keyOf(a), keyOf(b)));
  const page = ordered.slice(0, limit);
  const last = page[page.length - 1];
  return {
    slots: page,
    nextCursor: ordered.length > limit && last ? encodeSlotCursor(last) : null,
  };
}
