import { type Notice } from '@tautline/domain';
import { addNotice, noticesFor } from './notices.list';

const LONDON = '11111111-1111-4111-8111-111111111111';
const MANCHESTER = '22222222-2222-4222-8222-222222222222';

const notice = (id: string, postedAt: string, clinicId = LONDON): Notice => ({
  id,
  clinicId,
  message: `notice ${id}`,
  postedBy: 'Dr Sofia Supervisor',
  postedAt,
});

describe('notices', () => {
  it('keeps the newest first, even when events arrive out of order', () => {
    let list: Notice[] = [];
    list = addNotice(list, notice('b', '2026-03-09T10:05:00.000Z'));
    list = addNotice(list, notice('a', '2026-03-09T10:00:00.000Z'));
    list = addNotice(list, notice('c', '2026-03-09T10:10:00.000Z'));
    expect(list.map((n) => n.id)).toEqual(['c', 'b', 'a']);
  });

  it('ignores a redelivered notice', () => {
    const first = addNotice([], notice('a', '2026-03-09T10:00:00.000Z'));
    expect(addNotice(first, notice('a', '2026-03-09T10:00:00.000Z'))).toHaveLength(1);
  });

  it('keeps at most the given number', () => {
    let list: Notice[] = [];
    for (let i = 0; i < 5; i++)
      list = addNotice(list, notice(String(i), `2026-03-09T10:0${i}:00.000Z`), 3);
    expect(list.map((n) => n.id)).toEqual(['4', '3', '2']);
  });

  it('shows only the selected clinics', () => {
    const list = [
      notice('a', '2026-03-09T10:00:00.000Z', LONDON),
      notice('b', '2026-03-09T10:01:00.000Z', MANCHESTER),
    ];
    expect(noticesFor(list, [MANCHESTER]).map((n) => n.id)).toEqual(['b']);
    expect(noticesFor(list, [])).toEqual([]);
  });
});
