import { type TelemetryPoint } from '@tautline/domain';
import {
  channelSeries,
  channelTitle,
  clinicDateTime,
  clinicTimeOfDay,
  durationWords,
  milliamps,
  oneDecimal,
} from './review.format';

// Jest runs with TZ=UTC: a time shown in the process's zone would read differently.
describe('review formats', () => {
  it("shows instants on the clinic's clock with the zone named, across DST", () => {
    expect(clinicDateTime('2030-03-12T13:00:00.000Z', 'America/New_York')).toBe(
      'Tue 12 Mar 2030, 09:00 EDT',
    );
    expect(clinicDateTime('2030-03-08T14:00:00.000Z', 'America/New_York')).toBe(
      'Fri 8 Mar 2030, 09:00 EST',
    );
    expect(clinicDateTime('2030-06-11T08:00:00.000Z', 'Europe/London')).toBe(
      'Tue 11 Jun 2030, 09:00 BST',
    );
    expect(clinicTimeOfDay('2030-03-12T13:00:05.400Z', 'America/New_York')).toBe('09:00:05 EDT');
    expect(() => clinicDateTime('not a time', 'Europe/London')).toThrow(RangeError);
  });

  it('writes durations and figures as a clinician reads them', () => {
    expect(durationWords(0)).toBe('0 s');
    expect(durationWords(75)).toBe('1 min 15 s');
    expect(durationWords(1200)).toBe('20 min');
    expect(durationWords(3725.4)).toBe('1 h 2 min 5 s');
    expect(oneDecimal(0.25)).toBe('0.3');
    expect(milliamps(11.456)).toBe('11.46 mA');
    expect(milliamps(null)).toBe('No readings');
    expect(channelTitle({ channel: 2, muscle: 'levator_scapulae', side: 'left' })).toBe(
      'Channel 2 · Levator scapulae, left',
    );
  });

  it("turns one channel's points into uPlot's aligned arrays, in time order", () => {
    const point = (
      at: string,
      channel: number,
      min: number,
      avg: number,
      max: number,
    ): TelemetryPoint => ({
      at,
      channel,
      intensity: { min, avg, max },
      impedanceAvg: 1000,
      readings: 10,
    });
    const points = [
      point('2030-03-12T13:00:01.000Z', 1, 2, 3, 4),
      point('2030-03-12T13:00:00.000Z', 2, 9, 9, 9),
      point('2030-03-12T13:00:00.000Z', 1, 1, 2, 3),
    ];
    expect(channelSeries(points, 1)).toEqual({
      x: [
        Date.parse('2030-03-12T13:00:00.000Z') / 1000,
        Date.parse('2030-03-12T13:00:01.000Z') / 1000,
      ],
      min: [1, 2],
      avg: [2, 3],
      max: [3, 4],
    });
    expect(channelSeries(points, 3)).toEqual({ x: [], min: [], avg: [], max: [] });
  });
});
