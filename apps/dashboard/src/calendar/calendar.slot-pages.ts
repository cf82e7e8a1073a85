import { fetchSlots, type Auth, type SlotSearch } from './calendar.api';
import { type ClinicSlot } from './calendar.slots';

/** A clinic's search that has more pages: the same search again with the cursor continues it. */
export interface MoreSlots {
  search: SlotSearch;
  cursor: string;
}

/**
 * One page of free times for each search (one per clinic), in parallel. The API answers bounded
 * pages; the searches with a `nextCursor` are handed back so "Show later times" can continue them.
 */
export async function fetchSlotPages(
  auth: Auth,
  searches: readonly (SlotSearch | MoreSlots)[],
): Promise<{ slots: ClinicSlot[]; more: MoreSlots[] }> {
  const pages = await Promise.all(
    searches.map(async (entry) => {
      const search = 'search' in entry ? entry.search : entry;
      const list = await fetchSlots(
        auth,
        'cursor' in entry ? { ...search, cursor: entry.cursor } : search,
      );
      return {
        slots: list.slots.map((s) => ({
          ...s,
          clinicId: search.clinicId,
          timeZone: list.timeZone,
        })),
        more: list.nextCursor ? [{ search, cursor: list.nextCursor }] : [],
      };
    }),
  );
  return { slots: pages.flatMap((p) => p.slots), more: pages.flatMap((p) => p.more) };
}
