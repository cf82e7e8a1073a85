import { type z } from 'zod';
import {
  MAX_TELEMETRY_BATCH,
  TelemetryBatch,
  TelemetrySample,
  type TelemetrySampleInput,
  checkTelemetryBatch,
  telemetryBatchProblems,
} from './telemetry.schemas';

const NOW = '2026-03-02T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const reading = (channel: number, overrides = {}) => ({
  channel,
  intensityMa: 6.2,
  frequencyHz: 4,
  pulseWidthUs: 250,
  impedanceOhm: 1400,
  ...overrides,
});
const sample = (
  seq: number,
  overrides: Partial<TelemetrySampleInput> = {},
): TelemetrySampleInput => ({
  seq,
  at: at(seq * 100 - 10_000),
  channels: [reading(1), reading(2)],
  batteryPct: 81.5,
  ...overrides,
});
const batch = (...samples: TelemetrySampleInput[]) => TelemetryBatch.parse({ samples });

function issues(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('TelemetrySample', () => {
  it('accepts a device sample and defaults flags to none', () => {
    expect(TelemetrySample.parse(sample(0)).flags).toEqual([]);
    expect(
      TelemetrySample.parse(
        sample(1, { flags: ['low_battery', 'lead_off'], at: '2026-03-02T11:00:00.123+01:00' }),
      ).flags,
    ).toEqual(['low_battery', 'lead_off']);
  });

  it.each([
    ['seq', -1, 'must be 0 or more'],
    ['seq', 1.5, 'must be a whole number'],
    ['batteryPct', 101, 'must be at most 100 %'],
    ['channels', [], 'report at least one channel'],
    [
      'channels',
      [1, 2, 3, 4, 5, 6, 7, 8, 1].map((c) => reading(c)),
      'a stimulator has at most 8 channels',
    ],
  ])('%s = %j: %s', (field, value, message) => {
    expect(issues(TelemetrySample, { ...sample(0), [field]: value })).toEqual({ [field]: message });
  });

  it('takes seq up to 2^53 − 1, the largest exact integer', () => {
    expect(TelemetrySample.safeParse({ ...sample(0), seq: Number.MAX_SAFE_INTEGER }).success).toBe(
      true,
    );
    expect(issues(TelemetrySample, { ...sample(0), seq: 2 ** 53 })).toHaveProperty('seq');
  });

  it('needs an instant with an offset', () => {
    expect(issues(TelemetrySample, { ...sample(0), at: '2026-03-02T10:00:00' })).toHaveProperty(
      'at',
    );
    expect(issues(TelemetrySample, { ...sample(0), at: 'yesterday' })).toHaveProperty('at');
  });

  it('checks each reading, and each channel once', () => {
    const channels = [
      reading(1, { intensityMa: 101 }),
      reading(1, { impedanceOhm: -1 }),
      reading(9, { frequencyHz: 1001, pulseWidthUs: 1001 }),
    ];
    expect(issues(TelemetrySample, { ...sample(0), channels })).toEqual({
      'channels.0.intensityMa': 'must be at most 100 mA',
      'channels.1.channel': 'channel 1 is reported twice',
      'channels.1.impedanceOhm': 'must be at least 0 Ω',
      'channels.2.channel': 'must be a channel from 1 to 8',
      'channels.2.frequencyHz': 'must be at most 1000 Hz',
      'channels.2.pulseWidthUs': 'must be at most 1000 µs',
    });
    expect(issues(TelemetrySample, { ...sample(0), channels: [reading(3), reading(3)] })).toEqual({
      'channels.1.channel': 'channel 3 is reported twice',
    });
  });

  it('is strict: unknown fields and flags are errors', () => {
    expect(Object.keys(issues(TelemetrySample, { ...sample(0), temperatureC: 31 }))).toEqual(['']);
    expect(
      Object.keys(
        issues(TelemetrySample, { ...sample(0), channels: [{ ...reading(1), phase: 1 }] }),
      ),
    ).toEqual(['channels.0']);
    expect(issues(TelemetrySample, { ...sample(0), flags: ['on_fire'] })).toHaveProperty([
      'flags.0',
    ]);
  });
});

describe('TelemetryBatch', () => {
  it(`holds 1 to ${MAX_TELEMETRY_BATCH} samples`, () => {
    expect(issues(TelemetryBatch, { samples: [] })).toEqual({
      samples: 'send at least one sample',
    });
    const many = Array.from({ length: MAX_TELEMETRY_BATCH + 1 }, (_, i) => sample(i));
    expect(issues(TelemetryBatch, { samples: many })).toEqual({
      samples: `send at most ${MAX_TELEMETRY_BATCH} samples per batch`,
    });
    expect(TelemetryBatch.safeParse({ samples: many.slice(1) }).success).toBe(true);
    expect(Object.keys(issues(TelemetryBatch, { samples: [sample(0)], deviceId: 'x' }))).toEqual([
      '',
    ]);
  });
});

describe('telemetryBatchProblems', () => {
  it('finds nothing wrong with a fresh, ordered, planned batch', () => {
    expect(
      telemetryBatchProblems(batch(sample(1), sample(2), sample(3)), {
        now: NOW,
        plannedChannels: [1, 2],
      }),
    ).toEqual([]);
  });

  it('refuses samples from too far in the future or too long ago', () => {
    const b = batch(
      sample(1, { at: at(5000) }),
      sample(2, { at: at(5001) }),
      sample(3, { at: at(-15 * 60_000) }),
      sample(4, { at: at(-15 * 60_000 - 1) }),
    );
    expect(telemetryBatchProblems(b, { now: NOW })).toEqual([
      {
        field: 'body.samples.1.at',
        message: 'is 5 s ahead of the server clock (at most 5 s); check the device clock',
      },
      { field: 'body.samples.3.at', message: 'is older than 15 minutes' },
    ]);
    expect(
      telemetryBatchProblems(b, {
        now: Date.parse(NOW),
        maxFutureSkewMs: 10_000,
        maxAgeMs: 60 * 60_000,
      }),
    ).toEqual([]);
  });

  it('needs seq strictly increasing within the batch', () => {
    const b = batch(sample(5), sample(5), sample(7), sample(6));
    expect(telemetryBatchProblems(b, { now: NOW })).toEqual([
      {
        field: 'body.samples.1.seq',
        message: "must be greater than the previous sample's seq (5)",
      },
      {
        field: 'body.samples.3.seq',
        message: "must be greater than the previous sample's seq (7)",
      },
    ]);
  });

  it('refuses channels outside the plan, only when the plan is given', () => {
    const b = batch(sample(1), sample(2, { channels: [reading(1), reading(5)] }));
    expect(telemetryBatchProblems(b, { now: NOW, plannedChannels: [2, 1] })).toEqual([
      {
        field: 'body.samples.1.channels.1.channel',
        message: 'channel 5 is not in the session plan (planned: 1, 2)',
      },
    ]);
    expect(telemetryBatchProblems(b, { now: NOW })).toEqual([]);
  });

  it('lists every problem of every sample, under the given prefix', () => {
    const b = batch(sample(2, { at: at(60_000) }), sample(1, { channels: [reading(4)] }));
    expect(
      telemetryBatchProblems(b, { now: NOW, plannedChannels: [1], fieldPrefix: 'input' }).map(
        (p) => p.field,
      ),
    ).toEqual([
      'input.samples.0.at',
      'input.samples.0.channels.1.channel',
      'input.samples.1.seq',
      'input.samples.1.channels.0.channel',
    ]);
  });
});

describe('checkTelemetryBatch', () => {
  it('answers the batch when schema and context agree', () => {
    const result = checkTelemetryBatch(
      { samples: [sample(1)] },
      { now: NOW, plannedChannels: [1, 2] },
    );
    expect(result.ok && result.batch.samples[0]?.flags).toEqual([]);
  });

  it('names schema failures as request fields, each unknown field by name', () => {
    const result = checkTelemetryBatch(
      {
        samples: [sample(1), { ...sample(2), batteryPct: 'full', extra: 1, more: 2 }],
        sender: 'x',
      },
      { now: NOW },
    );
    expect(!result.ok && result.problems).toEqual([
      { field: 'body.samples.1.batteryPct', message: expect.any(String) },
      { field: 'body.samples.1.extra', message: 'is not a known field' },
      { field: 'body.samples.1.more', message: 'is not a known field' },
      { field: 'body.sender', message: 'is not a known field' },
    ]);
    const notAnObject = checkTelemetryBatch('samples', { now: NOW });
    expect(!notAnObject.ok && notAnObject.problems.map((p) => p.field)).toEqual(['body']);
  });

  it('rejects the whole batch for one bad sample', () => {
    const result = checkTelemetryBatch(
      { samples: [sample(1), sample(2, { at: at(3_600_000) }), sample(3)] },
      { now: NOW },
    );
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'body.samples.1.at', message: expect.stringContaining('ahead') }],
    });
  });
});
