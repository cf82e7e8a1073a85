/**
 * The simulator's own rooms, practitioners and patients ("Sim room 01", …) of one clinic, with
 * the times each is booked. The database never lets one be double-booked, so each treatment
 * claims members free for its whole appointment (buffers included), reusing what earlier runs
 * left and naming new ones after the highest number taken. Claims are synchronous, so
 * treatments set up concurrently never pick the same member.
 */

/** Epoch milliseconds, half-open `[from, to)` as the exclusion constraints compare them. */
export interface Interval {
  from: number;
  to: number;
}

export const overlaps = (a: Interval, b: Interval): boolean => a.from < b.to && b.from < a.to;

export interface PoolMember {
  /** Null until the API has created it. */
  id: string | null;
  number: number;
  name: string;
  busy: Interval[];
  /** One-off preparation for this run (extra hours, certification), shared by concurrent users. */
  prepared?: Promise<void>;
}

/** `Sim room 07` → 7 for the prefix `Sim room`; anything else → null. */
export function simNumber(name: string, prefix: string): number | null {
  const match = new RegExp(`^${prefix} (\\d{1,6})$`).exec(name.trim());
  return match ? Number(match[1]) : null;
}

export const simName = (prefix: string, n: number): string =>
  `${prefix} ${String(n).padStart(2, '0')}`;

/** The highest number a name carries; shared by pools whose names are unique across clinics. */
export interface Numbering {
  highest: number;
}

export class SimPool {
  private readonly members: PoolMember[] = [];

  constructor(
    readonly prefix: string,
    private readonly numbering: Numbering = { highest: 0 },
  ) {}

  get size(): number {
    return this.members.length;
  }

  /** A member the API already has. */
  add(id: string, number: number): PoolMember {
    const member: PoolMember = { id, number, name: simName(this.prefix, number), busy: [] };
    this.members.push(member);
    this.noteNumber(number);
    return member;
  }

  /** A number taken by something not in the pool (an inactive room, say): new names skip it. */
  noteNumber(number: number): void {
    this.numbering.highest = Math.max(this.numbering.highest, number);
  }

  /** Records an existing booking of a member. */
  markBusy(id: string, interval: Interval): void {
    this.members.find((m) => m.id === id)?.busy.push(interval);
  }

  has(id: string): boolean {
    return this.members.some((m) => m.id === id);
  }

  /** The first member free over `window`, or a new one (id null: create it), reserved for it. */
  claim(window: Interval): { member: PoolMember; isNew: boolean } {
    const free = this.members.find(
      (m) => m.id !== null && !m.busy.some((b) => overlaps(b, window)),
    );
    if (free) {
      free.busy.push(window);
      return { member: free, isNew: false };
    }
    const number = ++this.numbering.highest;
    const member: PoolMember = {
      id: null,
      number,
      name: simName(this.prefix, number),
      busy: [window],
    };
    this.members.push(member);
    return { member, isNew: true };
  }

  /** Gives a claim back (the booking did not happen); a member never created is forgotten. */
  release(member: PoolMember, window: Interval): void {
    member.busy = member.busy.filter((b) => b !== window);
    if (member.id === null) this.members.splice(this.members.indexOf(member), 1);
  }
}
