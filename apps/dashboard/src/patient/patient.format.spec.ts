import { formatReminderDateTime } from '@tautline/domain';
import { groupSlotsByClinicDay, telHref, viewLocale, zoneName } from './patient.format';
import { patientLinkToken } from './patient.route';

describe('patientLinkToken', () => {
  it.each([
    ['/p/abc.def', 'abc.def'],
    ['/p/abc.def/', 'abc.def'],
    ['/p/YWJj-_9.Xy-_0', 'YWJj-_9.Xy-_0'],
    ['/p/a%2Eb', 'a.b'],
    ['/p/', ''],
    ['/p/%E0%A4%A', ''],
  ])('%s is the patient page for token "%s"', (path, token) => {
    expect(patientLinkToken(path)).toBe(token);
  });

  it.each(['/', '/clinics', '/p', '/pp/abc', '/api/v1/patient-links/abc'])(
    '%s is the staff app',
    (path) => {
      expect(patientLinkToken(path)).toBeNull();
    },
  );
});

describe('groupSlotsByClinicDay', () => {
  const slot = (start: string) => ({
    start,
    end: new Date(Date.parse(start) + 1_800_000).toISOString(),
  });

  it("groups by the clinic's local date, not UTC's", () => {
    // 23:30 UTC on 9 June is 00:30 on the 10th in London (BST); 03:30 UTC on the 10th is still the 9th in New York.
    const slots = [
      slot('2030-06-09T23:30:00.000Z'),
      slot('2030-06-10T03:30:00.000Z'),
      slot('2030-06-09T08:00:00.000Z'),
    ];
    expect(
      groupSlotsByClinicDay(slots, 'Europe/London', 'en-GB').map((d) => [
        d.heading,
        d.zone,
        d.slots.map((s) => s.time),
      ]),
    ).toEqual([
      ['Sunday 9 June', 'BST', ['09:00']],
      ['Monday 10 June', 'BST', ['00:30', '04:30']],
    ]);
    expect(
      groupSlotsByClinicDay(slots, 'America/New_York', 'en-US').map((d) => [
        d.date,
        d.heading,
        d.slots.map((s) => s.time),
      ]),
    ).toEqual([['2030-06-09', 'Sunday, June 9', ['4:00 AM', '7:30 PM', '11:30 PM']]]);
  });

  it('names the zone of each day across a clock change', () => {
    // The UK moves to BST at 01:00 UTC on 29 March 2026.
    const days = groupSlotsByClinicDay(
      [
        slot('2026-03-28T09:00:00.000Z'),
        slot('2026-03-29T00:30:00.000Z'),
        slot('2026-03-29T09:00:00.000Z'),
      ],
      'Europe/London',
      'en-GB',
    );
    expect(days.map((d) => [d.heading, d.zone, d.slots.map((s) => s.label)])).toEqual([
      ['Saturday 28 March', 'GMT', ['Sat 28 Mar 2026, 09:00 GMT']],
      [
        'Sunday 29 March',
        'GMT / BST',
        ['Sun 29 Mar 2026, 00:30 GMT', 'Sun 29 Mar 2026, 10:00 BST'],
      ],
    ]);
  });
});

describe('viewLocale', () => {
  it('reads the locale the server formatted the time in', () => {
    const start = '2030-03-12T13:00:00.000Z';
    const timeZone = 'America/New_York';
    expect(
      viewLocale({
        start,
        timeZone,
        localDateTime: formatReminderDateTime(start, timeZone, 'en-US'),
      }),
    ).toBe('en-US');
    expect(
      viewLocale({
        start,
        timeZone,
        localDateTime: formatReminderDateTime(start, timeZone, 'en-GB'),
      }),
    ).toBe('en-GB');
    expect(viewLocale({ start, timeZone, localDateTime: 'something else' })).toBe('en-GB');
  });
});

describe('small words', () => {
  it('writes tel: links and zone names', () => {
    expect(telHref('+44 20 7946 0000')).toBe('tel:+442079460000');
    expect(telHref('(212) 555-0100')).toBe('tel:2125550100');
    expect(zoneName('America/New_York')).toBe('America/New York');
  });
});
