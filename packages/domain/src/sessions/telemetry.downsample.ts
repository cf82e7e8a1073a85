import { z } from 'zod';
import { FROM_NOT_AFTER_TO, fromNotAfterTo, Instant } from '../scheduling/calendar.schemas';
import { countParam } from '../params.schemas';
import { isoAt } from './moment';
import { type TelemetrySample } from './telemetry.schemas';

/**
 * Post-session review charts: a 30-minute session at 10 Hz is 18,000 samples per channel, far
 * more than a chart can show. Buckets are aligned to the epoch, so the same bucket size always
 * gives the same points whatever range is asked for.
 */

/** `GET /sessions/:id/telemetry`: an optional window (`from ≤ to`) and bucket width in ms. */
export const TelemetryReviewQuery = z
  .strictObject({
    from: Instant.optional(),
    to: Instant.optional(),
    /** Bucket width; omitted: about 600 points over the span. */
    resolution: countParam({ min: 100, max: 3_600_000 }).optional(),
  })
  .refine(fromNotAfterTo, FROM_NOT_AFTER_TO);
export type TelemetryReviewQuery = z.infer<typeof TelemetryReviewQuery>;

export const TelemetryPoint = z.object({
  /** Start of the bucket. */
  at: Instant,
  channel: z.number().int(),
  intensity: z.object({ min: z.number(), max: z.number(), avg: z.number() }),
  impedanceAvg: z.number(),
  /** Readings in the bucket. */
  readings: z.number().int().min(1),
});
export type TelemetryPoint = z.infer<typeof TelemetryPoint>;

type SampleTimes = Pick<TelemetrySample, 'at' | 'channels'>;

/** One point per bucket per channel that reported in it, ordered by time then channel. */
export function downsampleTelemetry(
  samples: readonly SampleTimes[],
  bucketMs: number,
): TelemetryPoint[] {
  if (!(bucketMs > 0)) throw new RangeError(`bucketMs must be positive: ${bucketMs}`);
  const buckets = new Map<
    string,
    {
      start: number;
      channel: number;
      min: number;
      max: number;
      sum: number;
      impedance: number;
      n: number;
    }
  >();
  for (const sample of samples) {
    const start = Math.floor(Date.parse(sample.at) / bucketMs) * bucketMs;
    for (const r of sample.channels) {
      const key = `${start}:${r.channel}`;
      const b = buckets.get(key);
      if (!b) {
        buckets.set(key, {
          start,
          channel: r.channel,
          min: r.intensityMa,
          max: r.intensityMa,
          sum: r.intensityMa,
          impedance: r.impedanceOhm,
          n: 1,
        });
        continue;
      }
      b.min = Math.min(b.min, r.intensityMa);
      b.max = Math.max(b.max, r.intensityMa);
      b.sum += r.intensityMa;
      b.impedance += r.impedanceOhm;
      b.n += 1;
    }
  }
  return [...buckets.values()]
    .sort((a, b) => a.start - b.start || a.channel - b.channel)
    .map((b) => ({
      at: isoAt(b.start),
      channel: b.channel,
      intensity: { min: b.min, max: b.max, avg: b.sum / b.n },
      impedanceAvg: b.impedance / b.n,
      readings: b.n,
    }));
}

/** Bucket sizes a reader can make sense of on a time axis. */
export const BUCKET_SIZES_MS = [
  100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000,
] as const;

/** The smallest readable bucket that keeps a channel's series within `maxPoints` over `spanMs`. */
export function chooseBucketMs(spanMs: number, maxPoints = 600): number {
  if (!(maxPoints >= 2)) throw new RangeError(`maxPoints must be at least 2: ${maxPoints}`);
  const span = Math.max(0, spanMs);
  // +1: a span not aligned to the buckets touches one more of them.
  const fits = (size: number) => Math.ceil(span / size) + 1 <= maxPoints;
  const nice = BUCKET_SIZES_MS.find(fits);
  if (nice !== undefined) return nice;
  const hour = 3_600_000;
  return Math.ceil(span / hour / (maxPoints - 1)) * hour;
}
