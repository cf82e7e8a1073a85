import { z } from 'zod';
import { type FieldError } from '../problem';
import { Instant } from '../scheduling/calendar.schemas';
import { type InstantInput, epochMs } from './moment';
import { ChannelNumber } from './treatment-session.schemas';

/**
 * What a stimulator streams while a session runs (~10 Hz, sent in batches). Objects are strict:
 * a field we do not know is a device speaking another protocol, and must not pass silently.
 */

const range = (min: number, max: number, unit: string) =>
  z
    .number()
    .min(min, { message: `must be at least ${min} ${unit}` })
    .max(max, { message: `must be at most ${max} ${unit}` });

/** What one output channel measured. */
export const TelemetryChannelReading = z.strictObject({
  channel: ChannelNumber,
  intensityMa: range(0, 100, 'mA'),
  frequencyHz: range(0, 1000, 'Hz'),
  pulseWidthUs: range(0, 1000, 'µs'),
  impedanceOhm: range(0, 1_000_000, 'Ω'),
});
export type TelemetryChannelReading = z.infer<typeof TelemetryChannelReading>;

/** The device's own status flags; shown on the live board, not judged by the safety rules. */
export const DEVICE_FLAGS = [
  'lead_off',
  'overcurrent',
  'low_battery',
  'paused',
  'self_test_failed',
] as const;
export const DeviceFlag = z.enum(DEVICE_FLAGS);
export type DeviceFlag = z.infer<typeof DeviceFlag>;

export const TelemetrySample = z.strictObject({
  /** Monotonic per device: the idempotency key of storage (`device_id, seq`). Safe integers only (< 2^53). */
  seq: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be 0 or more' })
    .max(Number.MAX_SAFE_INTEGER, { message: 'must be below 2^53' }),
  /** The device clock; checked against the server's by `telemetryBatchProblems`. */
  at: Instant,
  channels: z
    .array(TelemetryChannelReading)
    .min(1, { message: 'report at least one channel' })
    .max(8, { message: 'a stimulator has at most 8 channels' })
    .superRefine((readings, ctx) => {
      const seen = new Set<number>();
      readings.forEach((r, i) => {
        if (seen.has(r.channel)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'channel'],
            message: `channel ${r.channel} is reported twice`,
          });
        }
        seen.add(r.channel);
      });
    }),
  batteryPct: range(0, 100, '%'),
  flags: z
    .array(DeviceFlag)
    .max(DEVICE_FLAGS.length * 2)
    .default([]),
});
export type TelemetrySample = z.infer<typeof TelemetrySample>;
export type TelemetrySampleInput = z.input<typeof TelemetrySample>;

/** One HTTP request of a device; ~50 s of samples at 10 Hz. */
export const MAX_TELEMETRY_BATCH = 500;

export const TelemetryBatch = z.strictObject({
  samples: z
    .array(TelemetrySample)
    .min(1, { message: 'send at least one sample' })
    .max(MAX_TELEMETRY_BATCH, { message: `send at most ${MAX_TELEMETRY_BATCH} samples per batch` }),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;

export interface TelemetryBatchRules {
  /** The server's clock. */
  now: InstantInput;
  /** How far ahead of the server a device clock may run. */
  maxFutureSkewMs?: number;
  /** Older samples are refused: too late to alert on, and a sign of a device replaying its log. */
  maxAgeMs?: number;
  /** Channels of the session plan; a reading of another channel is refused. Omitted: not checked. */
  plannedChannels?: readonly number[];
  /** Where the batch sits in the request, for field names. */
  fieldPrefix?: string;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The problems of a schema-valid batch that depend on context: timestamps against the server
 * clock, `seq` strictly increasing, channels in the plan. One bad sample rejects the whole batch
 * (the API answers 400 listing every problem), so it never silently poisons its neighbours.
 */
export function telemetryBatchProblems(
  batch: TelemetryBatch,
  rules: TelemetryBatchRules,
): FieldError[] {
  const {
    maxFutureSkewMs = 5000,
    maxAgeMs = 15 * 60_000,
    plannedChannels,
    fieldPrefix = 'body',
  } = rules;
  const now = epochMs(rules.now);
  const planned = plannedChannels ? new Set(plannedChannels) : null;
  const problems: FieldError[] = [];
  const field = (...path: (string | number)[]) =>
    [fieldPrefix, 'samples', ...path].filter((p) => p !== '').join('.');

  batch.samples.forEach((sample, i) => {
    const at = Date.parse(sample.at);
    if (at - now > maxFutureSkewMs) {
      problems.push({
        field: field(i, 'at'),
        message: `is ${seconds(at - now)} ahead of the server clock (at most ${seconds(maxFutureSkewMs)}); check the device clock`,
      });
    } else if (now - at > maxAgeMs) {
      problems.push({
        field: field(i, 'at'),
        message: `is older than ${Math.round(maxAgeMs / 60_000)} minutes`,
      });
    }
    const previous = batch.samples[i - 1];
    if (previous && sample.seq <= previous.seq) {
      problems.push({
        field: field(i, 'seq'),
        message: `must be greater than the previous sample's seq (${previous.seq})`,
      });
    }
    if (planned) {
      sample.channels.forEach((reading, j) => {
        if (!planned.has(reading.channel)) {
          problems.push({
            field: field(i, 'channels', j, 'channel'),
            message: `channel ${reading.channel} is not in the session plan (planned: ${[...planned].sort((a, b) => a - b).join(', ')})`,
          });
        }
      });
    }
  });
  return problems;
}

export type TelemetryBatchCheck =
  | { ok: true; batch: TelemetryBatch }
  | { ok: false; problems: FieldError[] };

/** Schema and context rules in one go, as the ingestion endpoint applies them. */
export function checkTelemetryBatch(
  input: unknown,
  rules: TelemetryBatchRules,
): TelemetryBatchCheck {
  const fieldPrefix = rules.fieldPrefix ?? 'body';
  const parsed = TelemetryBatch.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.flatMap((issue): FieldError[] => {
        const at = (...extra: string[]) =>
          [fieldPrefix, ...issue.path.map(String), ...extra].filter(Boolean).join('.');
        // Name each unknown field itself, so the device developer sees which one.
        if (issue.code === 'unrecognized_keys')
          return issue.keys.map((key) => ({ field: at(key), message: 'is not a known field' }));
        return [{ field: at(), message: issue.message }];
      }),
    };
  }
  const problems = telemetryBatchProblems(parsed.data, rules);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, batch: parsed.data };
}
