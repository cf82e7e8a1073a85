import { encodeSlotCursor, pageSlots, SlotCursorParam } from './slot-page';
import { type Slot } from './slot-search.schemas';

const P1 = '10000000-0000-4000-8000-000000000001';
const P2 = '20000000-0000-4000-8000-000000000002';
const ROOM = '30000000-0000-4000-8000-000000000003';
const at = (minute: number, practitionerId: string): Slot => ({
  start: new Date(Date.UTC(2026, 2, 10, 9, minute)).toISOString(),
  end: new Date(Date.UTC(2026, 2, 10, 9, minute + 30)).toISOString(),
  practitionerId,
  roomId: ROOM,
});

describe('pageSlots', () => {
  // The engine's order: per start, practitioners in their own order (P2 before P1 here).
  const all = [0, 15, 30, 45].flatMap((m) => [at(m, P2), at(m, P1)]);

  it('answers at most limit slots in (start, practitioner) order and a cursor for the rest', () => {
    const first = pageSlots(all, { limit: 3 });
    expect(first.slots).toEqual([at(0, P1), at(0, P2), at(15, P1)]);
    expect(first.nextCursor).toBe(encodeSlotCursor(at(15, P1)));
  });

  it('walks every slot exactly once, page by page, ending with a null cursor', () => {
    const seen: Slot[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const after = cursor === null ? undefined : SlotCursorParam.parse(cursor);
      const page = pageSlots(all, { limit: 3, after });
      seen.push(...page.slots);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen.map((s) => `${s.start}|${s.practitionerId}`)).size).toBe(all.length);
  });

  it('has no cursor when everything fits', () => {
    expect(pageSlots(all, { limit: all.length }).nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give out', () => {
    for (const bad of ['', 'abc', '123', `x.${P1}`, `1.${P1}; DROP`])
      expect(SlotCursorParam.safeParse(bad).success).toBe(false);
    expect(SlotCursorParam.parse(encodeSlotCursor(at(0, P1)))).toEqual({
      startMs: Date.parse(at(0, P1).start),
      practitionerId: P1,
    });
  });
});
