import {
  SessionSummary,
  SummaryAccumulator,
  accumulateSummary,
  emptySummary,
  finishSummary,
} from './session-summary';
import { type TelemetrySample } from './telemetry.schemas';
import { simulateTreatment } from './telemetry.simulation';
import { NECK_PLAN, START, channel, samplesOf } from './testing/session.fixtures';
import { type SessionPlan } from './treatment-session.schemas';

const T0 = Date.parse(START);
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const plan: SessionPlan = {
  plannedDurationMinutes: 20,
  channels: [
    channel({ channel: 3, muscle: 'gastrocnemius', side: 'right', intensityCeilingMa: 8 }),
    channel({ channel: 1 }),
    channel({ channel: 5, muscle: 'soleus' }),
  ],
};

/** `[ms, channel 1 mA, channel 3 mA?]` */
const rows: [number, number, number | null][] = [
  [0, 5, 6],
  [100, 11, 6],
  [200, 12, 9],
  [300, 9, 9],
  [3300, 11, 7],
  [3400, 8, null],
];
const samples: TelemetrySample[] = rows.map(([ms, ch1, ch3], seq) => ({
  seq,
  at: iso(ms),
  batteryPct: 90,
  flags: [],
  channels: [
    { channel: 1, intensityMa: ch1, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 1500 },
    ...(ch3 === null
      ? []
      : [{ channel: 3, intensityMa: ch3, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 1500 }]),
    // Not in the plan: never counted.
    ...(seq === 2
      ? [{ channel: 7, intensityMa: 40, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 1500 }]
      : []),
  ],
}));

const expected: SessionSummary = {
  runningSeconds: 1234.6,
  plannedDurationMinutes: 20,
  samples: 6,
  firstSampleAt: iso(0),
  lastSampleAt: iso(3400),
  longestGapSeconds: 3,
  channels: [
    // 11 and 12 count 100 ms each; 11 after the 3 s gap counts 1 s at most.
    {
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      intensityCeilingMa: 10,
      maxIntensityMa: 12,
      avgIntensityMa: 9.33,
      secondsAboveCeiling: 1.2,
      readings: 6,
    },
    {
      channel: 3,
      muscle: 'gastrocnemius',
      side: 'right',
      intensityCeilingMa: 8,
      maxIntensityMa: 9,
      avgIntensityMa: 7.4,
      secondsAboveCeiling: 0.2,
      readings: 5,
    },
    {
      channel: 5,
      muscle: 'soleus',
      side: 'left',
      intensityCeilingMa: 10,
      maxIntensityMa: null,
      avgIntensityMa: null,
      secondsAboveCeiling: 0,
      readings: 0,
    },
  ],
  alerts: { critical: 2, warning: 1, technical: 0 },
};
const end = { runningSeconds: 1234.56, alerts: { critical: 2, warning: 1, technical: 0 } };

describe('session summary', () => {
  it('sums a session up: peak and mean per channel, time above the ceiling, gaps', () => {
    const summary = finishSummary(accumulateSummary(emptySummary(plan), samples, plan), end);
    expect(summary).toEqual(expected);
    expect(SessionSummary.parse(summary)).toEqual(summary);
  });

  it('gives the same summary batch by batch through JSON, skipping seqs already counted', () => {
    let acc = emptySummary(plan);
    for (const batch of [
      samples.slice(0, 3),
      [samples[1], samples[2], samples[3]],
      samples.slice(4),
      [samples[0]],
    ]) {
      const stored = SummaryAccumulator.parse(JSON.parse(JSON.stringify(acc)));
      acc = accumulateSummary(
        stored,
        batch.filter((s) => s !== undefined),
        plan,
      );
    }
    expect(finishSummary(acc, end)).toEqual(expected);
  });

  it('reads a summary stored before technical alerts were counted as 0 technical', () => {
    const stored = finishSummary(emptySummary(NECK_PLAN), end);
    const { technical: _, ...older } = stored.alerts;
    const parsed = SessionSummary.parse({ ...stored, alerts: older });
    expect(parsed.alerts).toEqual({ critical: 2, warning: 1, technical: 0 });
  });

  it('never changes the accumulator it is given', () => {
    const acc = accumulateSummary(emptySummary(plan), samples.slice(0, 2), plan);
    const before = JSON.stringify(acc);
    accumulateSummary(acc, samples.slice(2), plan);
    expect(JSON.stringify(acc)).toBe(before);
  });

  it('is empty before any telemetry', () => {
    expect(
      finishSummary(emptySummary(NECK_PLAN), {
        runningSeconds: 0,
        alerts: { critical: 0, warning: 0, technical: 0 },
      }),
    ).toMatchObject({
      samples: 0,
      firstSampleAt: null,
      lastSampleAt: null,
      longestGapSeconds: 0,
      channels: [
        { channel: 1, maxIntensityMa: null, readings: 0 },
        { channel: 2, maxIntensityMa: null, readings: 0 },
        { channel: 3, maxIntensityMa: null, readings: 0 },
      ],
    });
  });

  it('counts a simulated 1.5 s spike as 1.5 s above the ceiling', () => {
    const short = { ...NECK_PLAN, plannedDurationMinutes: 3 };
    const trace = samplesOf(
      simulateTreatment({
        plan: short,
        durationSeconds: 180,
        seed: 2,
        startAt: START,
        faults: [{ kind: 'spike', atSecond: 90, channel: 2 }],
      }),
    );
    const summary = finishSummary(accumulateSummary(emptySummary(short), trace, short), {
      runningSeconds: 180,
      alerts: { critical: 1, warning: 0, technical: 0 },
    });
    expect(summary.channels.map((c) => c.secondsAboveCeiling)).toEqual([0, 1.5, 0]);
    expect(summary.channels[1]?.maxIntensityMa).toBe(13);
    expect(summary).toMatchObject({ samples: 1800, longestGapSeconds: 0.1 });
  });
});
