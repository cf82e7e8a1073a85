import { chooseBucketMs, downsampleTelemetry } from './telemetry.downsample';
import { simulateTreatment } from './telemetry.simulation';
import { LOW_BACK_PLAN, START } from './testing/session.fixtures';

const T0 = Date.parse('2026-03-02T10:00:00.250Z');
const reading = (channel: number, intensityMa: number, impedanceOhm: number) => ({
  channel,
  intensityMa,
  impedanceOhm,
  frequencyHz: 4,
  pulseWidthUs: 250,
});
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('downsampleTelemetry', () => {
  it('gives min, max and mean intensity and mean impedance per bucket and channel, buckets aligned to the clock', () => {
    const samples = [
      { at: at(0), channels: [reading(1, 5, 1000), reading(2, 3, 2000)] },
      { at: at(400), channels: [reading(1, 7, 1200)] },
      { at: at(749), channels: [reading(2, 4, 2100), reading(1, 6, 1100)] },
      { at: at(750), channels: [reading(1, 9, 1300)] },
      { at: at(3750), channels: [reading(1, 2, 900), reading(2, 2, 1900)] },
    ];
    expect(downsampleTelemetry(samples, 1000)).toEqual([
      // 10:00:00.250–.999 is the bucket of 10:00:00; 10:00:01.000 starts the next.
      {
        at: '2026-03-02T10:00:00.000Z',
        channel: 1,
        intensity: { min: 5, max: 7, avg: 6 },
        impedanceAvg: 1100,
        readings: 3,
      },
      {
        at: '2026-03-02T10:00:00.000Z',
        channel: 2,
        intensity: { min: 3, max: 4, avg: 3.5 },
        impedanceAvg: 2050,
        readings: 2,
      },
      {
        at: '2026-03-02T10:00:01.000Z',
        channel: 1,
        intensity: { min: 9, max: 9, avg: 9 },
        impedanceAvg: 1300,
        readings: 1,
      },
      {
        at: '2026-03-02T10:00:04.000Z',
        channel: 1,
        intensity: { min: 2, max: 2, avg: 2 },
        impedanceAvg: 900,
        readings: 1,
      },
      {
        at: '2026-03-02T10:00:04.000Z',
        channel: 2,
        intensity: { min: 2, max: 2, avg: 2 },
        impedanceAvg: 1900,
        readings: 1,
      },
    ]);
  });

  it('answers nothing for no samples, and refuses a bucket that is not positive', () => {
    expect(downsampleTelemetry([], 1000)).toEqual([]);
    expect(() => downsampleTelemetry([], 0)).toThrow(RangeError);
  });

  it('fits a 30-minute six-channel session into the chosen number of points', () => {
    const trace = simulateTreatment({
      plan: LOW_BACK_PLAN,
      durationSeconds: 1800,
      seed: 5,
      startAt: START,
    }).map((s) => s.sample);
    const bucketMs = chooseBucketMs(
      Date.parse(trace[trace.length - 1]?.at ?? START) - Date.parse(START),
    );
    expect(bucketMs).toBe(5000);
    const points = downsampleTelemetry(trace, bucketMs);
    expect(points).toHaveLength(360 * 6);
    expect(points.filter((p) => p.channel === 8).every((p) => p.readings === 50)).toBe(true);
    const peak = Math.max(
      ...trace.map((s) => s.channels.find((c) => c.channel === 1)?.intensityMa ?? 0),
    );
    expect(Math.max(...points.filter((p) => p.channel === 1).map((p) => p.intensity.max))).toBe(
      peak,
    );
  });
});

describe('chooseBucketMs', () => {
  it.each([
    [0, 600, 100],
    [59_900, 600, 100],
    [60_000, 600, 200],
    [30 * 60_000, 600, 5000],
    [90 * 60_000, 600, 10_000],
    [90 * 60_000, 100, 60_000],
    [30 * 24 * 3_600_000, 600, 2 * 3_600_000],
  ])('a %d ms span in at most %d points: %d ms buckets', (span, maxPoints, bucket) => {
    expect(chooseBucketMs(span, maxPoints)).toBe(bucket);
    expect(Math.ceil(span / bucket) + 1).toBeLessThanOrEqual(maxPoints);
  });

  it('needs room for at least two points', () => {
    expect(() => chooseBucketMs(1000, 1)).toThrow(RangeError);
  });
});
