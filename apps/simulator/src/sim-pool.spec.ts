import { overlaps, SimPool, simName, simNumber } from './sim-pool';

const MINUTE = 60_000;
const at = (from: number, to: number) => ({ from: from * MINUTE, to: to * MINUTE });

describe('Sim names', () => {
  it('number rooms, practitioners and patients with two digits or more', () => {
    expect(simName('Sim room', 3)).toBe('Sim room 03');
    expect(simName('Sim room', 120)).toBe('Sim room 120');
    expect(simNumber('Sim room 07', 'Sim room')).toBe(7);
    expect(simNumber('Sim room 120', 'Sim room')).toBe(120);
    expect(simNumber('Treatment room 1', 'Sim room')).toBeNull();
    expect(simNumber('Sim room 1b', 'Sim room')).toBeNull();
  });

  it('compare times half-open, as the exclusion constraints do (back to back is fine)', () => {
    expect(overlaps(at(0, 60), at(60, 120))).toBe(false);
    expect(overlaps(at(0, 61), at(60, 120))).toBe(true);
  });
});

describe('a pool of Sim resources', () => {
  it('reuses a member free over the whole window, never one booked or claimed', () => {
    const pool = new SimPool('Sim room');
    pool.add('room-1', 1);
    pool.add('room-2', 2);
    pool.markBusy('room-1', at(0, 60));
    const first = pool.claim(at(30, 90));
    expect(first).toMatchObject({ isNew: false, member: { id: 'room-2', name: 'Sim room 02' } });
    const second = pool.claim(at(40, 100));
    expect(second.isNew).toBe(true);
    expect(second.member).toMatchObject({ id: null, name: 'Sim room 03' });
    // Back to back after room 1's booking: room 1 again.
    expect(pool.claim(at(60, 120)).member.id).toBe('room-1');
  });

  it('names new members after every number taken, inactive ones included, shared across pools', () => {
    const numbering = { highest: 0 };
    const london = new SimPool('Sim practitioner', numbering);
    const manchester = new SimPool('Sim practitioner', numbering);
    london.add('p-4', 4);
    manchester.noteNumber(9);
    expect(london.claim(at(0, 60)).isNew).toBe(false);
    expect(london.claim(at(0, 60)).member.name).toBe('Sim practitioner 10');
    expect(manchester.claim(at(0, 60)).member.name).toBe('Sim practitioner 11');
  });

  it('gives a claim back when the booking did not happen; a member never created is forgotten', () => {
    const pool = new SimPool('Sim room');
    pool.add('room-1', 1);
    const window = at(0, 60);
    const kept = pool.claim(window);
    pool.release(kept.member, window);
    expect(pool.claim(at(10, 20)).member.id).toBe('room-1');
    const fresh = pool.claim(at(10, 20));
    expect(fresh.isNew).toBe(true);
    pool.release(fresh.member, at(10, 20));
    expect(pool.size).toBe(1);
  });
});
