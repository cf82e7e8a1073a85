import {
  TREATMENT_SESSION_EVENTS,
  TREATMENT_SESSION_STATUSES,
  type TreatmentSessionEvent,
  type TreatmentSessionStatus,
  allowedSessionEvents,
  isFinalSessionStatus,
  runningSecondsAt,
  sessionClockAfter,
  sessionTransition,
} from './treatment-session.state-machine';

// The expected table, written out independently of the implementation: every legal move.
const LEGAL: Record<string, TreatmentSessionStatus> = {
  'ready start': 'running',
  'ready abort': 'aborted',
  'running pause': 'paused',
  'running stop': 'completed',
  'running abort': 'aborted',
  'paused resume': 'running',
  'paused stop': 'completed',
  'paused abort': 'aborted',
};

const pairs = TREATMENT_SESSION_STATUSES.flatMap((s) =>
  TREATMENT_SESSION_EVENTS.map((e) => [s, e] as [TreatmentSessionStatus, TreatmentSessionEvent]),
);

describe('treatment session state machine', () => {
  it.each(pairs)('%s + %s follows the table', (status, event) => {
    const expected = LEGAL[`${status} ${event}`];
    const result = sessionTransition(status, event);
    if (expected) expect(result).toEqual({ ok: true, status: expected });
    else {
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'illegal_transition',
          from: status,
          event,
          message: expect.stringContaining(`cannot ${event} a session`),
        },
      });
    }
  });

  it('has exactly the legal moves of the table', () => {
    expect(pairs.filter(([s, e]) => sessionTransition(s, e).ok)).toHaveLength(
      Object.keys(LEGAL).length,
    );
  });

  it('treats completed and aborted as final, and says why a move is illegal', () => {
    expect(TREATMENT_SESSION_STATUSES.filter(isFinalSessionStatus)).toEqual([
      'completed',
      'aborted',
    ]);
    const stopped = sessionTransition('completed', 'resume');
    expect(!stopped.ok && stopped.error.message).toBe(
      'cannot resume a session that is completed (completed is final)',
    );
    const notStarted = sessionTransition('ready', 'stop');
    expect(!notStarted.ok && notStarted.error.message).toBe(
      'cannot stop a session that is ready (allowed: start, abort)',
    );
    expect(allowedSessionEvents('paused')).toEqual(['resume', 'stop', 'abort']);
    expect(allowedSessionEvents('aborted')).toEqual([]);
  });
});

describe('session running time', () => {
  const t = (second: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, second)).toISOString();

  it('counts running stretches only, never paused time', () => {
    let clock = { runningSeconds: 0, runningSince: null as string | null };
    clock = sessionClockAfter(clock, 'start', t(0));
    expect(clock).toEqual({ runningSeconds: 0, runningSince: t(0) });
    expect(runningSecondsAt(clock, t(30))).toBe(30);

    clock = sessionClockAfter(clock, 'pause', t(40));
    expect(clock).toEqual({ runningSeconds: 40, runningSince: null });
    expect(runningSecondsAt(clock, t(55))).toBe(40);

    clock = sessionClockAfter(clock, 'resume', t(50));
    expect(runningSecondsAt(clock, Date.parse(t(52)))).toBe(42);
    clock = sessionClockAfter(clock, 'stop', t(59));
    expect(clock).toEqual({ runningSeconds: 49, runningSince: null });
  });

  it('keeps a running stretch when started twice, and never counts a clock running backwards', () => {
    const running = { runningSeconds: 10, runningSince: t(20) };
    expect(sessionClockAfter(running, 'resume', t(25))).toEqual(running);
    expect(runningSecondsAt(running, t(15))).toBe(10);
    expect(sessionClockAfter(running, 'abort', t(30))).toEqual({
      runningSeconds: 20,
      runningSince: null,
    });
  });
});
