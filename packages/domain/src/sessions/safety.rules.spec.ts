import { evaluateClock, evaluateSamples, resolveAllAlerts, type ClockInput } from './safety.rules';
import { SafetyState, initialSafetyState } from './safety.state';
import { DEFAULT_SAFETY_THRESHOLDS } from './safety.thresholds';
import { type TelemetryChannelReading, type TelemetrySample } from './telemetry.schemas';
import { LOW_BACK_PLAN, NECK_PLAN, ROOM, START, context } from './testing/session.fixtures';

const T0 = Date.parse(START);
const iso = (ms: number) => new Date(T0 + ms).toISOString();

/** A sample `ms` after the start; channels given as `{ 1: { intensityMa: 12 } }`, defaults otherwise. */
function sample(
  seq: number,
  ms: number,
  channels: Record<number, Partial<TelemetryChannelReading>> = { 1: {} },
): TelemetrySample {
  return {
    seq,
    at: iso(ms),
    batteryPct: 80,
    flags: [],
    channels: Object.entries(channels).map(([channel, r]) => ({
      channel: Number(channel),
      intensityMa: 6,
      frequencyHz: 4,
      pulseWidthUs: 250,
      impedanceOhm: 1500,
      ...r,
    })),
  };
}

/** Channel 1 at 10 Hz: one intensity per 100 ms, from `fromSeq`. */
const series = (intensities: number[], fromSeq = 0, ch = 1) =>
  intensities.map((intensityMa, i) =>
    sample(fromSeq + i, (fromSeq + i) * 100, { [ch]: { intensityMa } }),
  );
const repeat = (value: number, times: number) => Array.from({ length: times }, () => value);

const ctx = context(NECK_PLAN);
const evaluate = (samples: TelemetrySample[], state = initialSafetyState(), c = ctx) =>
  evaluateSamples(state, samples, c);

describe('evaluateSamples: intensity above the planned ceiling', () => {
  it('raises one critical alert in plain words while it holds, and resolves it 2 s after it cleared', () => {
    const samples = series([...repeat(7, 10), 12.4, ...repeat(12.6, 9), ...repeat(7, 25)]);
    const { raised, resolved, state } = evaluate(samples);
    expect(raised).toEqual([
      {
        key: 'intensity_over_ceiling:1',
        kind: 'intensity_over_ceiling',
        severity: 'critical',
        channel: 1,
        muscle: 'upper_trapezius',
        message:
          'Room 2 · channel 1 (left upper trapezius): 12.4 mA is above the planned ceiling of 10 mA',
        at: iso(1000),
        value: 12.4,
        limit: 10,
      },
    ]);
    // Below from 2.0 s; absent for clearAfterMs at 4.0 s. The 5.4 mA jump is covered by the ceiling alert.
    expect(resolved).toEqual([
      {
        key: 'intensity_over_ceiling:1',
        kind: 'intensity_over_ceiling',
        channel: 1,
        at: iso(4000),
      },
    ]);
    expect(state.open).toEqual({});
  });

  it('is not raised at the ceiling itself', () => {
    expect(evaluate(series(repeat(10, 30))).raised).toEqual([]);
  });

  it('stays one alert while the condition flickers faster than clearAfterMs', () => {
    // 500 ms above, 500 ms below, for 10 s: each absence is shorter than 2 s.
    const flicker = Array.from({ length: 100 }, (_, i) =>
      Math.floor(i / 5) % 2 === 0 ? 10.6 : 9.6,
    );
    // The last above is at 10.4 s; 1.8 s later it has still not been absent long enough.
    const { raised, resolved } = evaluate(
      series([...repeat(9.6, 10), ...flicker, ...repeat(9.6, 14)]),
    );
    expect(raised.map((a) => a.key)).toEqual(['intensity_over_ceiling:1']);
    expect(resolved).toEqual([]);
    const after = evaluate(series([...repeat(9.6, 10), ...flicker, ...repeat(9.6, 30)]));
    expect(after.resolved).toHaveLength(1);
  });

  it('resolves at once with clearAfterMs 0', () => {
    const quick = context(NECK_PLAN, { ...DEFAULT_SAFETY_THRESHOLDS, clearAfterMs: 0 });
    const { resolved } = evaluate(series([9, 11, 9]), initialSafetyState(), quick);
    expect(resolved).toEqual([
      expect.objectContaining({ key: 'intensity_over_ceiling:1', at: iso(200) }),
    ]);
  });
});

describe('evaluateSamples: the stronger alert covers the weaker', () => {
  it('above the device limit is one alert, not two; the ceiling alert follows if the ceiling is still exceeded', () => {
    const samples = series([
      ...repeat(9, 10),
      ...repeat(55, 5),
      ...repeat(12, 30),
      ...repeat(9, 25),
    ]);
    const { raised, resolved } = evaluate(samples);
    expect(raised.map((a) => [a.key, a.at])).toEqual([
      ['intensity_over_device_limit:1', iso(1000)],
      ['intensity_over_ceiling:1', iso(1500)],
    ]);
    expect(raised[0]?.message).toBe(
      "Room 2 · channel 1 (left upper trapezius): 55 mA is above the stimulator's limit of 50 mA",
    );
    expect(resolved.map((r) => [r.key, r.at])).toEqual([
      ['intensity_over_device_limit:1', iso(3500)],
      ['intensity_over_ceiling:1', iso(6500)],
    ]);
  });

  it('names a channel outside the plan without a muscle', () => {
    const { raised } = evaluate([sample(0, 0, { 7: { intensityMa: 60 } })]);
    expect(raised).toEqual([
      expect.objectContaining({
        key: 'intensity_over_device_limit:7',
        channel: 7,
        muscle: null,
        message: "Room 2 · channel 7: 60 mA is above the stimulator's limit of 50 mA",
      }),
    ]);
  });
});

describe('evaluateSamples: intensity jumps', () => {
  it('warns when intensity rises more than 4 mA within 1 s, and resolves once the window has passed', () => {
    const { raised, resolved } = evaluate(series([...repeat(3, 10), ...repeat(7.5, 40)]));
    expect(raised).toEqual([
      expect.objectContaining({
        key: 'intensity_jump:1',
        severity: 'warning',
        at: iso(1000),
        value: 4.5,
        limit: 4,
        message:
          'Room 2 · channel 1 (left upper trapezius): intensity rose 4.5 mA within 1 s (3 → 7.5 mA), more than 4 mA',
      }),
    ]);
    // Held while the window still holds a 3 mA reading (until 1.9 s), absent from 2.0 s, resolved at 4.0 s.
    expect(resolved).toEqual([expect.objectContaining({ key: 'intensity_jump:1', at: iso(4000) })]);
  });

  it('compares with the lowest reading of the last second, so a rise in small steps counts too', () => {
    const steps = [2, 2, 2, 3, 4, 5, 6, 6.5];
    expect(evaluate(series([...repeat(2, 10), ...steps])).raised.map((a) => a.value)).toEqual([
      4.5,
    ]);
  });

  it('ignores a rise of exactly 4 mA, a ramp of 2 mA/s, a fall, and a rise across a gap in the data', () => {
    expect(evaluate(series([...repeat(3, 10), ...repeat(7, 10)])).raised).toEqual([]);
    expect(evaluate(series(Array.from({ length: 40 }, (_, i) => i * 0.2)))).toMatchObject({
      raised: [],
    });
    expect(evaluate(series([...repeat(9, 10), ...repeat(1, 10)])).raised).toEqual([]);
    const gap = [
      sample(0, 0, { 1: { intensityMa: 2 } }),
      sample(1, 1100, { 1: { intensityMa: 8 } }),
    ];
    expect(evaluate(gap).raised).toEqual([]);
  });
});

describe('evaluateSamples: impedance', () => {
  it('warns of a lead off above 10 kΩ, and of touching needles below 200 Ω while current flows', () => {
    const high = evaluate([sample(0, 0, { 2: { impedanceOhm: 15_000 } })]);
    expect(high.raised).toEqual([
      expect.objectContaining({
        key: 'impedance_out_of_range:2',
        severity: 'technical',
        message:
          'Room 2 · channel 2 (right upper trapezius): impedance 15,000 Ω is above 10,000 Ω (lead off or poor contact)',
        value: 15_000,
        limit: 10_000,
      }),
    ]);
    const low = evaluate([sample(0, 0, { 3: { impedanceOhm: 150 } })]);
    expect(low.raised[0]?.message).toBe(
      'Room 2 · channel 3 (left levator scapulae): impedance 150 Ω is below 200 Ω (needles may be touching)',
    );
    expect(evaluate([sample(0, 0, { 3: { impedanceOhm: 0, intensityMa: 0 } })]).raised).toEqual([]);
    expect(
      evaluate([
        sample(0, 0, { 3: { impedanceOhm: 200 } }),
        sample(1, 100, { 3: { impedanceOhm: 10_000 } }),
      ]).raised,
    ).toEqual([]);
  });

  it('says where a midline channel is', () => {
    const { raised } = evaluate(
      [sample(0, 0, { 4: { impedanceOhm: 40_000 } })],
      initialSafetyState(),
      context(LOW_BACK_PLAN),
    );
    expect(raised[0]?.message).toMatch(
      /^Room 2 · channel 4 \(multifidus, midline\): impedance 40,000 Ω/,
    );
  });
});

describe('evaluateSamples: order, duplicates and unreported channels', () => {
  it('ignores duplicates and seqs older than the last judged', () => {
    const first = evaluate(series(repeat(6, 10)));
    const replay = evaluateSamples(
      first.state,
      [sample(5, 500, { 1: { intensityMa: 30 } }), sample(9, 900, { 1: { intensityMa: 30 } })],
      ctx,
    );
    expect(replay).toMatchObject({ raised: [], resolved: [], ignored: 2 });
    expect(replay.state).toEqual(first.state);
    const mixed = evaluateSamples(
      first.state,
      [sample(9, 900, { 1: { intensityMa: 30 } }), sample(10, 1000, { 1: { intensityMa: 12 } })],
      ctx,
    );
    expect(mixed.ignored).toBe(1);
    expect(mixed.raised.map((a) => a.value)).toEqual([12]);
  });

  it('judges a batch in seq order whatever order it came in', () => {
    const samples = series([...repeat(3, 10), 8, 8]);
    const shuffled = [
      samples[11],
      samples[3],
      samples[10],
      ...samples.slice(0, 3),
      ...samples.slice(4, 10),
    ].filter((s) => s !== undefined);
    expect(evaluate(shuffled)).toEqual(evaluate(samples));
  });

  it('keeps a channel condition while the channel is not reported: unknown is not cleared', () => {
    const above = evaluate(series([12]));
    const others = Array.from({ length: 50 }, (_, i) => sample(1 + i, 100 + i * 100, { 2: {} }));
    const silent = evaluateSamples(above.state, others, ctx);
    expect(silent.resolved).toEqual([]);
    const back = evaluateSamples(silent.state, series(repeat(6, 21), 51), ctx);
    expect(back.resolved).toEqual([
      expect.objectContaining({ key: 'intensity_over_ceiling:1', at: iso(7100) }),
    ]);
  });

  it('raises separate alerts per channel, in channel order', () => {
    const { raised } = evaluate([
      sample(0, 0, { 3: { intensityMa: 9 }, 1: { intensityMa: 11 }, 2: { impedanceOhm: 50_000 } }),
    ]);
    expect(raised.map((a) => a.key)).toEqual([
      'intensity_over_ceiling:1',
      'impedance_out_of_range:2',
      'intensity_over_ceiling:3',
    ]);
  });

  it('judges on a clock that never runs backwards when the device clock steps back', () => {
    const samples = [
      sample(0, 5000, { 1: { intensityMa: 12 } }),
      sample(1, 1000),
      sample(2, 6000),
      sample(3, 7000),
    ];
    const { raised, resolved } = evaluate(samples);
    expect(raised[0]?.at).toBe(iso(5000));
    expect(resolved).toEqual([expect.objectContaining({ at: iso(7000) })]);
  });
});

describe('safety state', () => {
  it('never changes the state it is given', () => {
    const state = evaluate(series([...repeat(3, 10), 12])).state;
    const before = JSON.stringify(state);
    evaluateSamples(state, series(repeat(3, 40), 11), ctx);
    evaluateClock(state, clockAt(60_000, { lastSampleReceivedAt: iso(0) }));
    resolveAllAlerts(state, iso(60_000));
    expect(JSON.stringify(state)).toBe(before);
  });

  it('is plain JSON, and parses back', () => {
    const { state } = evaluate(series([...repeat(3, 10), 7.5, 12]));
    const back = SafetyState.parse(JSON.parse(JSON.stringify(state)));
    expect(back).toEqual(state);
    expect(Object.keys(back.open).sort()).toEqual(['intensity_jump:1', 'intensity_over_ceiling:1']);
    expect(SafetyState.safeParse({ ...state, version: 2 }).success).toBe(false);
  });
});

function clockAt(ms: number, overrides: Partial<ClockInput> = {}): ClockInput {
  return {
    now: iso(ms),
    lastSampleReceivedAt: null,
    runningSince: START,
    runningSecondsBefore: 0,
    status: 'running',
    plan: NECK_PLAN,
    thresholds: DEFAULT_SAFETY_THRESHOLDS,
    labels: { roomName: ROOM },
    ...overrides,
  };
}

describe('evaluateClock: device offline', () => {
  it('raises one critical alert after more than 5 s of silence, and a sample resolves it', () => {
    const received = { lastSampleReceivedAt: iso(10_000) };
    const state = initialSafetyState();
    expect(evaluateClock(state, clockAt(15_000, received)).raised).toEqual([]);
    const offline = evaluateClock(state, clockAt(15_001, received));
    expect(offline.raised).toEqual([
      {
        key: 'device_offline',
        kind: 'device_offline',
        severity: 'critical',
        channel: null,
        muscle: null,
        message: 'Room 2: no telemetry from the stimulator for 5 s (limit 5 s)',
        at: iso(15_001),
        value: 5.001,
        limit: 5,
      },
    ]);
    expect(evaluateClock(offline.state, clockAt(30_000, received)).raised).toEqual([]);

    // Buffered samples taken before the alert was raised still end it, never before it began.
    const back = evaluateSamples(offline.state, [sample(1, 14_000)], ctx);
    expect(back.resolved).toEqual([
      { key: 'device_offline', kind: 'device_offline', channel: null, at: iso(15_001) },
    ]);
    expect(back.state.open).toEqual({});
  });

  it('resolves on the watchdog too once a batch has been received', () => {
    const offline = evaluateClock(
      initialSafetyState(),
      clockAt(20_000, { lastSampleReceivedAt: iso(1000) }),
    );
    const back = evaluateClock(
      offline.state,
      clockAt(21_000, { lastSampleReceivedAt: iso(20_900) }),
    );
    expect(back.resolved.map((r) => [r.key, r.at])).toEqual([['device_offline', iso(21_000)]]);
  });

  it('counts silence from the start or resume when that is later than the last batch', () => {
    expect(evaluateClock(initialSafetyState(), clockAt(5000)).raised).toEqual([]);
    expect(evaluateClock(initialSafetyState(), clockAt(5001)).raised.map((a) => a.kind)).toEqual([
      'device_offline',
    ]);
    const resumed = clockAt(64_000, {
      lastSampleReceivedAt: iso(1000),
      runningSince: iso(60_000),
      runningSecondsBefore: 50,
    });
    expect(evaluateClock(initialSafetyState(), resumed).raised).toEqual([]);
  });

  it('judges nothing unless running', () => {
    for (const status of ['ready', 'paused', 'completed', 'aborted'] as const) {
      expect(
        evaluateClock(
          initialSafetyState(),
          clockAt(600_000, { status, runningSince: null, runningSecondsBefore: 5000 }),
        ),
      ).toEqual({
        state: initialSafetyState(),
        raised: [],
        resolved: [],
      });
    }
  });
});

describe('evaluateClock: session overrun', () => {
  const MIN = 60_000;

  it('warns once when running time exceeds planned + grace, and keeps it open', () => {
    const received = (ms: number) => ({ lastSampleReceivedAt: iso(ms - 100) });
    expect(
      evaluateClock(initialSafetyState(), clockAt(32 * MIN, received(32 * MIN))).raised,
    ).toEqual([]);
    const over = evaluateClock(
      initialSafetyState(),
      clockAt(32 * MIN + 1000, received(32 * MIN + 1000)),
    );
    expect(over.raised).toEqual([
      expect.objectContaining({
        key: 'session_overrun',
        severity: 'warning',
        message: 'Room 2: session has run 32 min, planned 30 min + 2 min grace',
        value: 32.02,
        limit: 32,
      }),
    ]);
    const later = evaluateClock(over.state, clockAt(40 * MIN, received(40 * MIN)));
    expect(later).toMatchObject({ raised: [], resolved: [] });
    expect(Object.keys(later.state.open)).toEqual(['session_overrun']);
  });

  it('counts running time only: time before a pause plus the current stretch', () => {
    const resumed = {
      runningSince: iso(40 * MIN),
      runningSecondsBefore: 31 * 60,
      lastSampleReceivedAt: iso(41 * MIN),
    };
    expect(evaluateClock(initialSafetyState(), clockAt(41 * MIN, resumed)).raised).toEqual([]);
    expect(
      evaluateClock(initialSafetyState(), clockAt(41 * MIN + 1000, resumed)).raised.map(
        (a) => a.kind,
      ),
    ).toEqual(['session_overrun']);
  });
});

describe('resolveAllAlerts', () => {
  it('resolves every unresolved alert when the session ends', () => {
    const { state } = evaluate([
      sample(0, 0, { 1: { intensityMa: 12 }, 2: { impedanceOhm: 20_000 } }),
    ]);
    const overrun = evaluateClock(
      state,
      clockAt(33 * 60_000, { lastSampleReceivedAt: iso(33 * 60_000) }),
    );
    const end = resolveAllAlerts(overrun.state, iso(34 * 60_000));
    expect(end.resolved.map((r) => [r.key, r.at])).toEqual([
      ['intensity_over_ceiling:1', iso(34 * 60_000)],
      ['impedance_out_of_range:2', iso(34 * 60_000)],
      ['session_overrun', iso(34 * 60_000)],
    ]);
    expect(end.state.open).toEqual({});
  });
});
