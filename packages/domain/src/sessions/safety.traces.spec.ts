import fc from 'fast-check';
import { MUSCLE_CODES } from './muscle.catalogue';
import { evaluateSamples } from './safety.rules';
import { initialSafetyState, type SafetyState } from './safety.state';
import { type SimulatedFault, simulateTreatment } from './telemetry.simulation';
import {
  LOW_BACK_PLAN,
  NECK_PLAN,
  START,
  channel,
  context,
  monitor,
  samplesOf,
} from './testing/session.fixtures';
import { WAVEFORMS, type SessionPlan } from './treatment-session.schemas';

/** Realistic traces through the safety rules, as the worker will run them: alert on faults, and only on faults. */

const SOLEUS_PLAN: SessionPlan = {
  plannedDurationMinutes: 30,
  channels: [
    channel({
      channel: 1,
      muscle: 'soleus',
      intensityCeilingMa: 0.5,
      frequencyHz: 1,
      pulseWidthUs: 50,
    }),
  ],
};
const EIGHT_CHANNELS: SessionPlan = {
  plannedDurationMinutes: 30,
  channels: [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
    channel({
      channel: n,
      muscle: MUSCLE_CODES[n * 2] ?? 'soleus',
      side: n % 2 ? 'left' : 'right',
      intensityCeilingMa: n * 6 + 2,
    }),
  ),
};

describe('clean realistic traces raise nothing', () => {
  it.each([
    ['neck', 1, NECK_PLAN],
    ['neck', 2, NECK_PLAN],
    ['low back', 3, LOW_BACK_PLAN],
    ['low back', 4, LOW_BACK_PLAN],
    ['soleus at 0.5 mA', 5, SOLEUS_PLAN],
    ['eight channels', 6, EIGHT_CHANNELS],
  ])('30 minutes at 10 Hz, %s plan, seed %d', (_name, seed, plan) => {
    const trace = simulateTreatment({ plan, durationSeconds: 30 * 60, seed, startAt: START });
    expect(trace).toHaveLength(18_000);
    const session = monitor(trace, plan, { batchSize: 10 });
    expect(session.raised).toEqual([]);
    expect(session.state.open).toEqual({});
    // Not trivially quiet: every channel was turned up to most of its ceiling.
    for (const c of plan.channels) {
      const peak = Math.max(
        ...trace.map(
          (s) => s.sample.channels.find((r) => r.channel === c.channel)?.intensityMa ?? 0,
        ),
      );
      expect(peak).toBeGreaterThan(0.5 * c.intensityCeilingMa);
    }
  });
});

describe('exactly one alert per injected fault', () => {
  const plan: SessionPlan = { ...NECK_PLAN, plannedDurationMinutes: 10 };
  const run = (faults: SimulatedFault[], durationSeconds = 600, seed = 11) =>
    monitor(simulateTreatment({ plan, durationSeconds, seed, startAt: START, faults }), plan);
  const at = (second: number) => new Date(Date.parse(START) + second * 1000).toISOString();

  it('a spike above the ceiling: one intensity_over_ceiling, resolved 2 s after it ends', () => {
    const { raised, resolved } = run([{ kind: 'spike', atSecond: 300, channel: 2 }]);
    expect(raised.map((a) => [a.key, a.severity, a.at])).toEqual([
      ['intensity_over_ceiling:2', 'critical', at(300)],
    ]);
    expect(raised[0]?.message).toMatch(
      /^Room 2 · channel 2 \(right upper trapezius\): 13 mA is above the planned ceiling of 10 mA$/,
    );
    expect(resolved.map((r) => [r.key, r.at])).toEqual([['intensity_over_ceiling:2', at(303.5)]]);
  });

  it('a lead off: one impedance_out_of_range, resolved 2 s after contact is back', () => {
    const { raised, resolved } = run([{ kind: 'lead_off', atSecond: 200, channel: 3 }]);
    expect(raised.map((a) => [a.key, a.severity, a.at])).toEqual([
      ['impedance_out_of_range:3', 'technical', at(200)],
    ]);
    expect(raised[0]?.message).toMatch(
      /\(left levator scapulae\): impedance [\d,]+ Ω is above 10,000 Ω \(lead off or poor contact\)$/,
    );
    expect(resolved.map((r) => [r.key, r.at])).toEqual([['impedance_out_of_range:3', at(210)]]);
  });

  it('a dropout: one device_offline from the watchdog, resolved by the first sample back', () => {
    const { raised, resolved } = run([{ kind: 'dropout', atSecond: 400 }]);
    // The last batch before the gap arrived at 399.9 s; the watchdog ticks each second.
    expect(raised.map((a) => [a.key, a.severity, a.at])).toEqual([
      ['device_offline', 'critical', at(405)],
    ]);
    expect(resolved.map((r) => [r.key, r.at])).toEqual([['device_offline', at(410)]]);
  });

  it('an overrun: one session_overrun past planned + grace, left open until the session ends', () => {
    const session = run([{ kind: 'overrun', atSecond: 0 }], 14 * 60);
    expect(session.raised.map((a) => [a.key, a.severity, a.at])).toEqual([
      ['session_overrun', 'warning', at(12 * 60 + 0.9)],
    ]);
    expect(session.resolved).toEqual([]);
    expect(Object.keys(session.state.open)).toEqual(['session_overrun']);
  });

  it('every fault in one session: one alert each, in order', () => {
    const session = run(
      [
        { kind: 'lead_off', atSecond: 120, channel: 1 },
        { kind: 'spike', atSecond: 240, channel: 3, forSeconds: 2 },
        { kind: 'dropout', atSecond: 360, forSeconds: 20 },
        { kind: 'spike', atSecond: 480, channel: 1, forSeconds: 1 },
        { kind: 'overrun', atSecond: 0 },
      ],
      13 * 60,
    );
    expect(session.raised.map((a) => a.key)).toEqual([
      'impedance_out_of_range:1',
      'intensity_over_ceiling:3',
      'device_offline',
      'intensity_over_ceiling:1',
      'session_overrun',
    ]);
    expect(session.resolved.map((r) => r.key)).toEqual(
      session.raised.slice(0, 4).map((a) => a.key),
    );
  });

  it('a lead off that is back for less than clearAfterMs stays one alert', () => {
    const session = run([
      { kind: 'lead_off', atSecond: 100, channel: 2, forSeconds: 3 },
      { kind: 'lead_off', atSecond: 104.5, channel: 2, forSeconds: 3 },
    ]);
    expect(session.raised.map((a) => a.key)).toEqual(['impedance_out_of_range:2']);
    expect(session.resolved.map((r) => r.at)).toEqual([at(109.5)]);
  });
});

describe('properties', () => {
  const roundTrip = (state: SafetyState): SafetyState =>
    JSON.parse(JSON.stringify(state)) as SafetyState;

  it('the same samples split into any batches, through JSON, give the same alerts', () => {
    const plan: SessionPlan = { ...NECK_PLAN, plannedDurationMinutes: 3 };
    const samples = samplesOf(
      simulateTreatment({
        plan,
        durationSeconds: 180,
        seed: 3,
        startAt: START,
        faults: [
          { kind: 'spike', atSecond: 60, channel: 1 },
          { kind: 'lead_off', atSecond: 90, channel: 2 },
          { kind: 'spike', atSecond: 120, channel: 3, value: 25 },
        ],
      }),
    );
    const ctx = context(plan);
    const whole = evaluateSamples(initialSafetyState(), samples, ctx);
    expect(whole.raised.map((a) => a.key)).toEqual([
      'intensity_over_ceiling:1',
      'impedance_out_of_range:2',
      'intensity_over_ceiling:3',
    ]);

    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 60 }),
        (sizes) => {
          let state = initialSafetyState();
          const raised = [];
          const resolved = [];
          for (let i = 0, k = 0; i < samples.length; k += 1) {
            const size = sizes[k % sizes.length] ?? 1;
            const r = evaluateSamples(roundTrip(state), samples.slice(i, i + size), ctx);
            state = r.state;
            raised.push(...r.raised);
            resolved.push(...r.resolved);
            i += size;
          }
          expect(raised).toEqual(whole.raised);
          expect(resolved).toEqual(whole.resolved);
          expect(state).toEqual(whole.state);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('any plan, any seed: a clean simulated session raises nothing', () => {
    const channelPlans = fc
      .uniqueArray(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 8 })
      .chain((numbers) =>
        fc.tuple(
          ...numbers.map((n) =>
            fc.record({
              channel: fc.constant(n),
              muscle: fc.constantFrom(...MUSCLE_CODES),
              side: fc.constantFrom('left' as const, 'right' as const, 'midline' as const),
              waveform: fc.constantFrom(...WAVEFORMS),
              frequencyHz: fc.integer({ min: 1, max: 250 }),
              pulseWidthUs: fc.integer({ min: 50, max: 500 }),
              intensityCeilingMa: fc.double({ min: 0.5, max: 50, noNaN: true }),
            }),
          ),
        ),
      );
    fc.assert(
      fc.property(
        channelPlans,
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.constantFrom(1, 5, 10, 20),
        (channels, minutes, seed, hz) => {
          const plan: SessionPlan = { channels, plannedDurationMinutes: minutes };
          const trace = simulateTreatment({
            plan,
            durationSeconds: minutes * 60,
            seed,
            hz,
            startAt: START,
          });
          expect(monitor(trace, plan, { batchSize: hz }).raised).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
