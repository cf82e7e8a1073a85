import { clinicLocalTime, formatUtcOffset } from './clinics.time';

describe('clinicLocalTime', () => {
  // 29 March 2026: the UK moved to BST at 01:00 UTC; New York has been on EDT since 8 March.
  const afterUkChange = new Date('2026-03-29T12:00:00Z');
  const winter = new Date('2026-01-15T12:00:00Z');

  it('shows London on summer time after the change', () => {
    expect(clinicLocalTime(afterUkChange, 'Europe/London')).toEqual({
      time: '13:00',
      date: 'Sun 29 Mar',
      offset: 'UTC+1',
      iso: '2026-03-29T13:00:00+01:00',
    });
  });

  it('shows London on GMT in winter', () => {
    expect(clinicLocalTime(winter, 'Europe/London')).toMatchObject({
      time: '12:00',
      offset: 'UTC',
    });
  });

  it('shows New York on EDT and EST', () => {
    expect(clinicLocalTime(afterUkChange, 'America/New_York')).toMatchObject({
      time: '08:00',
      offset: 'UTC-4',
    });
    expect(clinicLocalTime(winter, 'America/New_York')).toMatchObject({
      time: '07:00',
      offset: 'UTC-5',
    });
  });

  it('crosses the date line', () => {
    expect(clinicLocalTime(new Date('2026-01-15T23:30:00Z'), 'Australia/Sydney')).toMatchObject({
      time: '10:30',
      date: 'Fri 16 Jan',
      offset: 'UTC+11',
    });
  });

  it('refuses an unknown zone instead of showing the wrong time', () => {
    expect(() => clinicLocalTime(winter, 'Mars/Olympus')).toThrow(/Unknown time zone/);
  });
});

describe('formatUtcOffset', () => {
  it.each([
    [0, 'UTC'],
    [60, 'UTC+1'],
    [-240, 'UTC-4'],
    [330, 'UTC+5:30'],
    [-570, 'UTC-9:30'],
  ])('%i minutes is %s', (minutes, text) => {
    expect(formatUtcOffset(minutes)).toBe(text);
  });
});
