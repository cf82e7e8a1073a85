import { DEFAULT_SAFETY_THRESHOLDS } from './safety.thresholds';
import { TelemetrySample } from './telemetry.schemas';
import {
  type SimulatedSample,
  mulberry32,
  simulateTreatment,
  streamTreatment,
} from './telemetry.simulation';
import { LOW_BACK_PLAN, NECK_PLAN, START } from './testing/session.fixtures';

const readingsOf = (trace: SimulatedSample[], channel: number) =>
  trace.map((s) => ({
    t: s.offsetMs / 1000,
    r: s.sample.channels.find((c) => c.channel === channel),
  }));

describe('mulberry32', () => {
  it('is deterministic and uniform enough', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

describe('simulateTreatment', () => {
  const trace = simulateTreatment({
    plan: LOW_BACK_PLAN,
    durationSeconds: 30 * 60,
    seed: 21,
    startAt: START,
    startSeq: 1000,
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const again = simulateTreatment({
      plan: LOW_BACK_PLAN,
      durationSeconds: 30 * 60,
      seed: 21,
      startAt: START,
      startSeq: 1000,
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(trace));
    const other = simulateTreatment({
      plan: LOW_BACK_PLAN,
      durationSeconds: 30 * 60,
      seed: 22,
      startAt: START,
    });
    expect(other[5000]?.sample.channels).not.toEqual(trace[5000]?.sample.channels);
    expect([
      ...streamTreatment({ plan: NECK_PLAN, durationSeconds: 2, seed: 1, startAt: START }),
    ]).toEqual(simulateTreatment({ plan: NECK_PLAN, durationSeconds: 2, seed: 1, startAt: START }));
  });

  it('streams valid samples at the given rate with increasing seq', () => {
    expect(trace).toHaveLength(18_000);
    const misplaced = trace.filter(
      (s, i) =>
        s.offsetMs !== i * 100 ||
        s.sample.seq !== 1000 + i ||
        s.sample.at !== new Date(Date.parse(START) + i * 100).toISOString(),
    );
    expect(misplaced).toEqual([]);
    for (const s of trace.filter((_, i) => i % 997 === 0))
      expect(TelemetrySample.parse(s.sample)).toEqual(s.sample);
    expect(trace[0]?.sample.channels.map((c) => c.channel)).toEqual([1, 2, 4, 5, 6, 8]);
    const slow = simulateTreatment({
      plan: NECK_PLAN,
      durationSeconds: 60,
      seed: 1,
      hz: 2,
      startAt: START,
    });
    expect(slow.map((s) => s.offsetMs).slice(0, 3)).toEqual([0, 500, 1000]);
    expect(slow).toHaveLength(120);
  });

  it('ramps each channel in small steps over 45–90 s to 55–80 % of its ceiling, then stays below it', () => {
    for (const plan of LOW_BACK_PLAN.channels) {
      const series = readingsOf(trace, plan.channel);
      const ceiling = plan.intensityCeilingMa;
      const plateau = series
        .filter((p) => p.t >= 120 && p.t < 1700)
        .map((p) => p.r?.intensityMa ?? 0);
      const mean = plateau.reduce((a, b) => a + b, 0) / plateau.length;
      expect(mean / ceiling).toBeGreaterThan(0.45);
      expect(mean / ceiling).toBeLessThan(0.86);
      expect(Math.max(...series.map((p) => p.r?.intensityMa ?? 0))).toBeLessThan(ceiling);

      const firstOn = series.find((p) => (p.r?.intensityMa ?? 0) > 0)?.t ?? 0;
      const reached =
        series.find((p) => (p.r?.intensityMa ?? 0) >= (plateau[0] ?? 0) * 0.97)?.t ?? 0;
      expect(reached - firstOn).toBeGreaterThan(40);
      expect(reached - firstOn).toBeLessThan(95);
    }
  });

  it('never rises by the jump threshold within a second', () => {
    for (const plan of LOW_BACK_PLAN.channels) {
      const ma = readingsOf(trace, plan.channel).map((p) => p.r?.intensityMa ?? 0);
      let biggest = 0;
      for (let i = 10; i < ma.length; i += 1)
        biggest = Math.max(biggest, (ma[i] ?? 0) - Math.min(...ma.slice(i - 10, i)));
      expect(biggest).toBeLessThan(Math.min(DEFAULT_SAFETY_THRESHOLDS.intensityJumpMa, 1.6));
    }
  });

  it('keeps impedance within 600–3000 Ω, drifting slowly; frequency and pulse width as planned with tiny jitter', () => {
    for (const plan of LOW_BACK_PLAN.channels) {
      const series = readingsOf(trace, plan.channel);
      const ohms = series.map((p) => p.r?.impedanceOhm ?? 0);
      expect(Math.min(...ohms)).toBeGreaterThanOrEqual(600);
      expect(Math.max(...ohms)).toBeLessThanOrEqual(3000);
      const steps = ohms.slice(1).map((ohm, i) => Math.abs(ohm - (ohms[i] ?? 0)));
      expect(Math.max(...steps)).toBeLessThan(150);
      const hz = Math.max(
        ...series.map(({ r }) => Math.abs((r?.frequencyHz ?? 0) - plan.frequencyHz)),
      );
      expect(hz).toBeLessThanOrEqual(plan.frequencyHz * 0.005 + 0.05);
      expect(
        Math.max(...series.map(({ r }) => Math.abs((r?.pulseWidthUs ?? 0) - plan.pulseWidthUs))),
      ).toBeLessThanOrEqual(2);
    }
  });

  it('runs the battery down slowly, and raises no device flags on a clean run', () => {
    const battery = trace.map((s) => s.sample.batteryPct);
    expect(battery.every((b, i) => i === 0 || b <= (battery[i - 1] ?? 100))).toBe(true);
    expect((battery[0] ?? 0) - (battery[battery.length - 1] ?? 0)).toBeGreaterThan(0.5);
    expect((battery[0] ?? 0) - (battery[battery.length - 1] ?? 0)).toBeLessThan(10);
    expect(
      trace.every(
        (s) => s.sample.flags.length === 0 || s.sample.flags.every((f) => f === 'low_battery'),
      ),
    ).toBe(true);
  });

  it('stops at the planned duration, ramping down, unless it overruns', () => {
    const short = { ...NECK_PLAN, plannedDurationMinutes: 1 };
    const stopped = simulateTreatment({
      plan: short,
      durationSeconds: 90,
      seed: 4,
      startAt: START,
    });
    expect(stopped).toHaveLength(600);
    expect(stopped[599]?.sample.channels.every((c) => c.intensityMa < 0.5)).toBe(true);
    const overrun = simulateTreatment({
      plan: short,
      durationSeconds: 90,
      seed: 4,
      startAt: START,
      faults: [{ kind: 'overrun', atSecond: 0 }],
    });
    expect(overrun).toHaveLength(900);
    expect(() =>
      simulateTreatment({ plan: short, durationSeconds: 1, seed: 1, hz: 0, startAt: START }),
    ).toThrow(RangeError);
  });
});

describe('simulated faults', () => {
  const plan = { ...NECK_PLAN, plannedDurationMinutes: 5 };
  const clean = simulateTreatment({ plan, durationSeconds: 300, seed: 8, startAt: START });
  const faulted = simulateTreatment({
    plan,
    durationSeconds: 300,
    seed: 8,
    startAt: START,
    faults: [
      { kind: 'spike', atSecond: 100, channel: 2 },
      { kind: 'lead_off', atSecond: 150, channel: 3 },
      { kind: 'dropout', atSecond: 200 },
    ],
  });
  const at = (trace: SimulatedSample[], second: number) =>
    trace.find((s) => s.offsetMs === second * 1000);
  const inFault = (t: number) =>
    (t >= 100 && t < 101.5) || (t >= 150 && t < 158) || (t >= 200 && t < 210);

  it('spike: one channel above its ceiling for 1.5 s, then back', () => {
    const spiking = faulted.filter(
      (s) => (s.sample.channels.find((c) => c.channel === 2)?.intensityMa ?? 0) > 10,
    );
    expect(spiking.map((s) => s.offsetMs)).toEqual(
      Array.from({ length: 15 }, (_, i) => 100_000 + i * 100),
    );
    expect(spiking[0]?.sample.channels.find((c) => c.channel === 2)?.intensityMa).toBe(13);
  });

  it('lead off: impedance above 10 kΩ for 8 s with the device flag, then back', () => {
    const off = faulted.filter(
      (s) => (s.sample.channels.find((c) => c.channel === 3)?.impedanceOhm ?? 0) > 10_000,
    );
    expect(off).toHaveLength(80);
    expect(off[0]?.offsetMs).toBe(150_000);
    expect(off.every((s) => s.sample.flags.includes('lead_off'))).toBe(true);
    expect(
      at(faulted, 158)?.sample.channels.find((c) => c.channel === 3)?.impedanceOhm,
    ).toBeLessThan(3001);
  });

  it('dropout: no samples for 10 s, seq skips the lost ones', () => {
    const gap = faulted.filter((s) => s.offsetMs >= 199_900 && s.offsetMs <= 210_000);
    expect(gap.map((s) => [s.offsetMs, s.sample.seq])).toEqual([
      [199_900, 1999],
      [210_000, 2100],
    ]);
  });

  it('leaves the trace as it was outside the faults', () => {
    const byOffset = new Map(faulted.map((s) => [s.offsetMs, s]));
    const changed = clean.filter(
      (s) =>
        !inFault(s.offsetMs / 1000) &&
        JSON.stringify(byOffset.get(s.offsetMs)) !== JSON.stringify(s),
    );
    expect(changed).toEqual([]);
    expect(clean.length - faulted.length).toBe(100);
  });
});
