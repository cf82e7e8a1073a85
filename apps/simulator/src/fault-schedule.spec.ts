import { simulateTreatment, type SessionPlan } from '@tautline/domain';
import {
  DEFERRED_FAULT_SECOND,
  designTreatment,
  FAULT_EVERY_MS,
  faultMarks,
  OVERRUN_EXTRA_SECONDS,
  type ScheduledFault,
  scheduleFaults,
  traceFaults,
} from './fault-schedule';
import { seededRandom } from './random';
import { PLANNED_MINUTES } from './session-plan';

const PLAN: SessionPlan = {
  plannedDurationMinutes: 5,
  channels: [
    {
      channel: 1,
      muscle: 'gluteus_medius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 2,
      pulseWidthUs: 250,
      intensityCeilingMa: 14,
    },
    {
      channel: 2,
      muscle: 'piriformis',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 2,
      pulseWidthUs: 250,
      intensityCeilingMa: 10,
    },
  ],
};
const MINUTE = 60_000;

describe('the fault schedule', () => {
  const input = {
    kinds: ['lead_off', 'spike', 'dropout', 'overrun'] as const,
    devices: 50,
    durationMs: 10 * MINUTE,
    seed: 99,
  };

  it('is the same for the same seed and differs for another', () => {
    expect(scheduleFaults(input)).toEqual(scheduleFaults(input));
    expect(scheduleFaults({ ...input, seed: 100 })).not.toEqual(scheduleFaults(input));
  });

  it('injects each kind about once per device every 15 minutes (overruns a quarter as often), inside the run', () => {
    const faults = scheduleFaults(input);
    const expected = (input.devices * input.durationMs) / FAULT_EVERY_MS;
    const of = (kind: string) => faults.filter((f) => f.kind === kind).length;
    expect(of('lead_off')).toBe(Math.round(expected));
    expect(of('spike')).toBe(Math.round(expected));
    expect(of('dropout')).toBe(Math.round(expected));
    expect(of('overrun')).toBe(Math.round(expected / 4));
    for (const f of faults) {
      expect(f.device).toBeGreaterThanOrEqual(0);
      expect(f.device).toBeLessThan(input.devices);
      expect(f.atMs).toBeGreaterThanOrEqual(20_000);
      expect(f.atMs).toBeLessThanOrEqual(input.durationMs - 10_000);
    }
    expect(faults.map((f) => f.atMs)).toEqual([...faults.map((f) => f.atMs)].sort((a, b) => a - b));
    expect(new Set(faults.map((f) => f.device)).size).toBeGreaterThan(30);
  });

  it('injects at least one of each kind named, even in a short run, and none unnamed', () => {
    const faults = scheduleFaults({
      kinds: ['spike', 'lead_off'],
      devices: 2,
      durationMs: 5000,
      seed: 1,
    });
    expect(faults.map((f) => f.kind).sort()).toEqual(['lead_off', 'spike']);
    for (const f of faults) expect(f.atMs).toBeLessThan(5000);
    expect(scheduleFaults({ kinds: [], devices: 5, durationMs: MINUTE, seed: 1 })).toEqual([]);
  });
});

describe('designing a treatment', () => {
  const rnd = () => seededRandom(5);

  it('plans an ordinary visit of 20–35 minutes, cut short by the end of the run', () => {
    const long = designTreatment({ rnd: rnd(), elapsedMs: 0, remainingMs: 8 * 60 * MINUTE });
    expect(long.overrun).toBe(false);
    expect(long.plannedMinutes).toBeGreaterThanOrEqual(PLANNED_MINUTES.min);
    expect(long.plannedMinutes).toBeLessThanOrEqual(PLANNED_MINUTES.max);
    expect(long.traceSeconds).toBe(long.plannedMinutes * 60);
    const short = designTreatment({ rnd: rnd(), elapsedMs: 0, remainingMs: 30_000 });
    expect(short.traceSeconds).toBe(30);
  });

  it('ends the plan when an overrun is due and keeps the device going past it', () => {
    const design = designTreatment({
      rnd: rnd(),
      elapsedMs: 60_000,
      remainingMs: 60 * MINUTE,
      overrunAtMs: 60_000 + 12 * MINUTE + 10_000,
    });
    expect(design).toEqual({
      plannedMinutes: 12,
      traceSeconds: 12 * 60 + OVERRUN_EXTRA_SECONDS,
      overrun: true,
    });
    // Due too far ahead for this visit: a later one takes it.
    expect(
      designTreatment({
        rnd: rnd(),
        elapsedMs: 0,
        remainingMs: 60 * MINUTE,
        overrunAtMs: 50 * MINUTE,
      }).overrun,
    ).toBe(false);
    // Due at once: a one-minute plan, the least there is.
    expect(
      designTreatment({ rnd: rnd(), elapsedMs: 0, remainingMs: 60 * MINUTE, overrunAtMs: 5000 })
        .plannedMinutes,
    ).toBe(1);
  });

  it('keeps a --keys device’s own plan: it stops at the plan, or streams to the end when overrunning', () => {
    expect(
      designTreatment({
        rnd: rnd(),
        elapsedMs: 0,
        remainingMs: 60 * MINUTE,
        fixedPlannedMinutes: 20,
      }),
    ).toEqual({
      plannedMinutes: 20,
      traceSeconds: 1200,
      overrun: false,
    });
    expect(
      designTreatment({
        rnd: rnd(),
        elapsedMs: 0,
        remainingMs: 60 * MINUTE,
        fixedPlannedMinutes: 20,
        overrunAtMs: 1,
      }).traceSeconds,
    ).toBe(3600);
  });
});

describe('faults laid over one trace', () => {
  const fault = (kind: ScheduledFault['kind'], atMs: number, channelPick = 0): ScheduledFault => ({
    device: 0,
    kind,
    atMs,
    channelPick,
  });

  it('takes the device’s faults inside the trace, relative to its start, on a channel of the plan', () => {
    const design = { plannedMinutes: 5, traceSeconds: 60, overrun: false };
    const faults = traceFaults(
      [
        fault('spike', 9_000),
        fault('lead_off', 30_000, 0.99),
        fault('dropout', 80_000),
        fault('spike', 5_000),
      ],
      PLAN,
      { startMs: 10_000, sinceMs: 10_000 },
      design,
    );
    expect(faults).toEqual([{ kind: 'lead_off', atSecond: 20, channel: 2 }]);
    const withOverrun = traceFaults(
      [],
      PLAN,
      { startMs: 0, sinceMs: 0 },
      {
        plannedMinutes: 5,
        traceSeconds: 400,
        overrun: true,
      },
    );
    expect(withOverrun).toEqual([{ kind: 'overrun', atSecond: 300 }]);
    expect(faultMarks(withOverrun, 400)).toEqual([{ kind: 'overrun', offsetMs: 300_000 }]);
    expect(faultMarks(withOverrun, 200)).toEqual([]);
  });

  it('injects a fault due while the device was being set up a second after it streams again', () => {
    const design = { plannedMinutes: 5, traceSeconds: 60, overrun: false };
    const faults = traceFaults(
      [fault('spike', 2_000), fault('lead_off', 4_000), fault('dropout', 20_000)],
      PLAN,
      { startMs: 5_000, sinceMs: 3_000 },
      design,
    );
    expect(faults).toEqual([
      { kind: 'lead_off', atSecond: DEFERRED_FAULT_SECOND, channel: 1 },
      { kind: 'dropout', atSecond: 15, channel: 1 },
    ]);
  });

  it('shows in the generated telemetry: a spike over the ceiling, a lead-off, a dropout, an overrun', () => {
    const design = { plannedMinutes: 5, traceSeconds: 5 * 60 + 30, overrun: true };
    const faults = traceFaults(
      [fault('spike', 100_000), fault('lead_off', 150_000, 0.6), fault('dropout', 200_000)],
      PLAN,
      { startMs: 0, sinceMs: 0 },
      design,
    );
    const trace = simulateTreatment({
      plan: PLAN,
      hz: 10,
      durationSeconds: design.traceSeconds,
      seed: 8,
      faults,
      startAt: '2026-03-02T09:00:00Z',
    });
    const at = (second: number) => trace.find((s) => s.offsetMs === second * 1000)?.sample;
    expect(at(100.5)!.channels.find((c) => c.channel === 1)!.intensityMa).toBeGreaterThan(14);
    expect(at(151)!.channels.find((c) => c.channel === 2)!.impedanceOhm).toBeGreaterThan(10_000);
    expect(at(151)!.flags).toContain('lead_off');
    expect(at(205)).toBeUndefined();
    expect(at(211)).toBeDefined();
    expect(trace[trace.length - 1]!.offsetMs).toBeGreaterThan(5 * 60_000);
  });
});
