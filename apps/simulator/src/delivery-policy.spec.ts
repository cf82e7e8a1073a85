import {
  MAX_TELEMETRY_BATCH,
  simulateTreatment,
  streamTreatment,
  type SessionPlan,
} from '@tautline/domain';
import {
  backoffMs,
  BACKOFF,
  classifyAnswer,
  nextBatch,
  retryAfterMs,
  TraceCursor,
} from './delivery-policy';
import { seededRandom } from './random';

const PLAN: SessionPlan = {
  plannedDurationMinutes: 20,
  channels: [
    {
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 2,
      pulseWidthUs: 250,
      intensityCeilingMa: 12,
    },
  ],
};
const START = '2026-03-02T09:00:00.000Z';

describe('what a device does with an answer', () => {
  it.each([
    [202, 'accepted'],
    [200, 'accepted'],
    [429, 'throttled'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    ['network-error' as const, 'retry'],
    [401, 'ended'],
    [409, 'ended'],
    [400, 'rejected'],
    [413, 'rejected'],
    [415, 'rejected'],
  ])('%s → %s', (status, outcome) => {
    expect(classifyAnswer(status)).toBe(outcome);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-03-02T09:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('1', now)).toBe(1000);
    expect(retryAfterMs('2.5', now)).toBe(2500);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:03 GMT', now)).toBe(3000);
  });

  it('waits 1 s when the header is missing or unreadable, never negative, at most a minute', () => {
    expect(retryAfterMs(null, now)).toBe(1000);
    expect(retryAfterMs('soon', now)).toBe(1000);
    expect(retryAfterMs('Mon, 02 Mar 2026 08:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('3600', now)).toBe(60_000);
  });
});

describe('backoff', () => {
  it('doubles from 250 ms up to 10 s, with jitter in the upper half', () => {
    const rnd = seededRandom(1);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoffMs(attempt, rnd);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(backoffMs(0, () => 0.999)).toBeLessThanOrEqual(250);
    expect(backoffMs(20, () => 0.999)).toBeLessThanOrEqual(10_000);
  });
});

describe('the trace in real time', () => {
  it('hands over exactly the samples due, in order, each once', () => {
    const trace = simulateTreatment({
      plan: PLAN,
      hz: 10,
      durationSeconds: 5,
      seed: 3,
      startAt: START,
    });
    const cursor = new TraceCursor(trace);
    expect(cursor.takeDue(-1)).toEqual([]);
    const first = cursor.takeDue(450);
    expect(first.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(cursor.takeDue(450)).toEqual([]);
    const rest = cursor.takeDue(10_000);
    expect(rest).toHaveLength(45);
    expect(cursor.done).toBe(true);
    expect([...first, ...rest]).toEqual(trace.map((s) => s.sample));
  });

  it('has nothing to send during a dropout, then carries on with later seqs', () => {
    const cursor = new TraceCursor(
      streamTreatment({
        plan: PLAN,
        hz: 10,
        durationSeconds: 30,
        seed: 3,
        startAt: START,
        faults: [{ kind: 'dropout', atSecond: 5 }],
      }),
    );
    expect(cursor.takeDue(4_950)).toHaveLength(50);
    expect(cursor.takeDue(14_950)).toEqual([]);
    const after = cursor.takeDue(15_000);
    expect(after.map((s) => s.seq)).toEqual([150]);
  });

  it('batches at most what the API takes at once, oldest first', () => {
    const samples = simulateTreatment({
      plan: PLAN,
      hz: 100,
      durationSeconds: 12,
      seed: 1,
      startAt: START,
    }).map((s) => s.sample);
    const batch = nextBatch(samples);
    expect(batch).toHaveLength(MAX_TELEMETRY_BATCH);
    expect(batch[0]).toBe(samples[0]);
    expect(nextBatch(samples.slice(0, 3))).toHaveLength(3);
  });
});
