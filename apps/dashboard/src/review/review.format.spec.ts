import { type Alert, type TelemetryPoint } from '@tautline/domain';
import {
  alertCountWords,
  alertMarkers,
  channelSeries,
  channelTitle,
  clinicDateTime,
  clinicTimeOfDay,
  durationWords,
  milliamps,
  ohms,
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
      impedanceAvg: 1000 + avg,
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
      impedance: [1002, 1003],
    });
    expect(channelSeries(points, 3)).toEqual({ x: [], min: [], avg: [], max: [], impedance: [] });
  });

  it('counts alerts in words, only the priorities that occurred, and writes ohms', () => {
    expect(alertCountWords({ critical: 0, warning: 0, technical: 0 })).toBe('None');
    expect(alertCountWords({ critical: 1, warning: 2, technical: 0 })).toBe(
      '1 critical, 2 warnings',
    );
    expect(alertCountWords({ critical: 0, warning: 1, technical: 3 })).toBe(
      '1 warning, 3 technical',
    );
    expect(ohms(15_000)).toBe('15,000 Ω');
    expect(ohms(1499.6)).toBe('1,500 Ω');
  });

  it("marks a channel's alerts on the chart of their quantity and session-wide ones on every chart", () => {
    const alert = (
      id: string,
      kind: Alert['kind'],
      severity: Alert['severity'],
      channel: number | null,
      raisedAt: string,
      clearedAt: string | null,
      resolvedAt: string | null = clearedAt,
    ) => ({ id, kind, severity, channel, raisedAt, clearedAt, resolvedAt }) as Alert;
    const s = (iso: string) => Date.parse(iso) / 1000;
    const alerts = [
      alert('d', 'device_offline', 'critical', null, '2030-03-12T13:00:30.000Z', null, null),
      alert(
        'a',
        'intensity_over_ceiling',
        'critical',
        1,
        '2030-03-12T13:00:10.000Z',
        '2030-03-12T13:00:12.000Z',
      ),
      // Latched: cleared, not yet closed; the span ends where the condition did.
      alert(
        'b',
        'intensity_jump',
        'warning',
        1,
        '2030-03-12T13:00:20.000Z',
        '2030-03-12T13:00:21.000Z',
        null,
      ),
      alert(
        'c',
        'impedance_out_of_range',
        'technical',
        1,
        '2030-03-12T13:00:15.000Z',
        null,
        '2030-03-12T13:00:40.000Z',
      ),
      alert('e', 'intensity_over_ceiling', 'critical', 2, '2030-03-12T13:00:05.000Z', null),
    ];
    expect(alertMarkers(alerts, 1, 'intensity')).toEqual([
      {
        id: 'a',
        severity: 'critical',
        at: s('2030-03-12T13:00:10.000Z'),
        until: s('2030-03-12T13:00:12.000Z'),
      },
      {
        id: 'b',
        severity: 'warning',
        at: s('2030-03-12T13:00:20.000Z'),
        until: s('2030-03-12T13:00:21.000Z'),
      },
      { id: 'd', severity: 'critical', at: s('2030-03-12T13:00:30.000Z'), until: null },
    ]);
    expect(alertMarkers(alerts, 1, 'impedance').map((m) => [m.id, m.until])).toEqual([
      ['c', s('2030-03-12T13:00:40.000Z')],
      ['d', null],
    ]);
    expect(alertMarkers(alerts, 2, 'intensity').map((m) => m.id)).toEqual(['e', 'd']);
    expect(alertMarkers(alerts, 3, 'impedance').map((m) => m.id)).toEqual(['d']);
  });
});
