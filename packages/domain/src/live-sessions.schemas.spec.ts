import { LiveSession, orderUpdate } from './live-sessions.schemas';

describe('orderUpdate: (updateEpoch, updateSeq) of session.updated', () => {
  const at = (updateEpoch: number, updateSeq: number) => ({ updateEpoch, updateSeq });

  it('takes the first update of a session', () => {
    expect(orderUpdate(undefined, at(5, 40))).toBe('next');
  });

  it('within an epoch: the next one, a gap, a repeat or a late one', () => {
    expect(orderUpdate(at(5, 7), at(5, 8))).toBe('next');
    expect(orderUpdate(at(5, 7), at(5, 10))).toBe('gap');
    expect(orderUpdate(at(5, 7), at(5, 7))).toBe('stale');
    expect(orderUpdate(at(5, 7), at(5, 3))).toBe('stale');
  });

  it('a later epoch wins however low its seq (Redis lost the counter), an earlier one never does', () => {
    expect(orderUpdate(at(5, 900), at(6, 1))).toBe('new_epoch');
    expect(orderUpdate(at(5, 900), at(6, 0))).toBe('new_epoch');
    expect(orderUpdate(at(6, 1), at(5, 901))).toBe('stale');
  });

  it('is part of the contract: a session.updated without an epoch is refused', () => {
    const issues =
      LiveSession.pick({ updateEpoch: true, updateSeq: true }).safeParse({ updateSeq: 1 }).error
        ?.issues ?? [];
    expect(issues.map((i) => i.path.join('.'))).toEqual(['updateEpoch']);
  });
});
