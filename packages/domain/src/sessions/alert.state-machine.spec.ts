import {
  AcknowledgeAlertRequest,
  Alert,
  AlertDraft,
  alertKey,
  parseAlertKey,
} from './alert.schemas';
import {
  ALERT_STATUSES,
  ALERT_STATUS_EVENTS,
  type AlertStatus,
  type AlertStatusEvent,
  alertTransition,
  escalationDueAt,
  shouldEscalate,
} from './alert.state-machine';
import { DEFAULT_SAFETY_THRESHOLDS, SafetyThresholds } from './safety.thresholds';

const LEGAL: Record<string, AlertStatus> = {
  'open acknowledge': 'acknowledged',
  'open resolve': 'resolved',
  'acknowledged resolve': 'resolved',
};
const pairs = ALERT_STATUSES.flatMap((s) =>
  ALERT_STATUS_EVENTS.map((e) => [s, e] as [AlertStatus, AlertStatusEvent]),
);

describe('alert state machine', () => {
  it.each(pairs)('%s + %s follows the table', (status, event) => {
    const expected = LEGAL[`${status} ${event}`];
    const result = alertTransition(status, event);
    if (expected) expect(result).toEqual({ ok: true, status: expected });
    else
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'illegal_transition', from: status, event },
      });
  });

  it('says why a move is illegal', () => {
    const twice = alertTransition('acknowledged', 'acknowledge');
    expect(!twice.ok && twice.error.message).toBe(
      'cannot acknowledge an alert that is acknowledged (allowed: resolve)',
    );
    const late = alertTransition('resolved', 'acknowledge');
    expect(!late.ok && late.error.message).toBe(
      'cannot acknowledge an alert that is resolved (resolved is final)',
    );
  });
});

describe('escalation', () => {
  const raisedAt = '2026-03-02T10:00:00.000Z';
  const after = (seconds: number) => new Date(Date.parse(raisedAt) + seconds * 1000).toISOString();
  const critical = {
    severity: 'critical' as const,
    status: 'open' as const,
    raisedAt,
    escalatedAt: null,
  };

  it('escalates a critical alert left open for escalateAfterSeconds, once', () => {
    expect(shouldEscalate(critical, after(119), DEFAULT_SAFETY_THRESHOLDS)).toBe(false);
    expect(shouldEscalate(critical, after(120), DEFAULT_SAFETY_THRESHOLDS)).toBe(true);
    expect(shouldEscalate(critical, Date.parse(after(600)), DEFAULT_SAFETY_THRESHOLDS)).toBe(true);
    expect(
      shouldEscalate(
        { ...critical, escalatedAt: after(120) },
        after(600),
        DEFAULT_SAFETY_THRESHOLDS,
      ),
    ).toBe(false);
    expect(escalationDueAt(critical, DEFAULT_SAFETY_THRESHOLDS)).toBe(after(120));
  });

  it('never escalates warnings, acknowledged or resolved alerts', () => {
    expect(
      shouldEscalate({ ...critical, severity: 'warning' }, after(600), DEFAULT_SAFETY_THRESHOLDS),
    ).toBe(false);
    expect(
      shouldEscalate(
        { ...critical, status: 'acknowledged' },
        after(600),
        DEFAULT_SAFETY_THRESHOLDS,
      ),
    ).toBe(false);
    expect(
      shouldEscalate({ ...critical, status: 'resolved' }, after(600), DEFAULT_SAFETY_THRESHOLDS),
    ).toBe(false);
    expect(
      escalationDueAt({ ...critical, severity: 'warning' }, DEFAULT_SAFETY_THRESHOLDS),
    ).toBeNull();
  });

  it('follows the clinic threshold', () => {
    const quick = SafetyThresholds.parse({ escalateAfterSeconds: 30 });
    expect(shouldEscalate(critical, after(30), quick)).toBe(true);
  });
});

describe('alert contracts', () => {
  it('keys a condition by kind and channel', () => {
    expect(alertKey('intensity_jump', 3)).toBe('intensity_jump:3');
    expect(alertKey('device_offline', null)).toBe('device_offline');
    expect(parseAlertKey('impedance_out_of_range:8')).toEqual({
      kind: 'impedance_out_of_range',
      channel: 8,
    });
    expect(parseAlertKey('session_overrun')).toEqual({ kind: 'session_overrun', channel: null });
  });

  it('validates drafts, alerts and acknowledgements', () => {
    const draft = {
      key: 'intensity_over_ceiling:1',
      kind: 'intensity_over_ceiling',
      severity: 'critical',
      channel: 1,
      muscle: 'upper_trapezius',
      message:
        'Room 2 · channel 1 (left upper trapezius): 12.4 mA is above the planned ceiling of 10 mA',
      at: '2026-03-02T10:00:00.000Z',
      value: 12.4,
      limit: 10,
    };
    expect(AlertDraft.parse(draft)).toEqual(draft);
    expect(AlertDraft.safeParse({ ...draft, key: 'intensity_over_ceiling:9' }).success).toBe(false);
    expect(AlertDraft.safeParse({ ...draft, key: 'on_fire' }).success).toBe(false);

    const id = '00000000-0000-4000-8000-000000000001';
    const alert = {
      id,
      sessionId: id,
      clinicId: id,
      roomId: id,
      kind: draft.kind,
      severity: draft.severity,
      channel: 1,
      muscle: draft.muscle,
      message: draft.message,
      status: 'acknowledged',
      raisedAt: draft.at,
      resolvedAt: null,
      acknowledgedAt: '2026-03-02T10:00:20.000Z',
      acknowledgedBy: id,
      acknowledgementNote: 'turned it down',
      escalatedAt: null,
    };
    expect(Alert.parse(alert)).toEqual(alert);
    expect(Alert.safeParse({ ...alert, status: 'escalated' }).success).toBe(false);

    expect(AcknowledgeAlertRequest.parse({})).toEqual({});
    expect(AcknowledgeAlertRequest.parse({ note: ' on my way ' })).toEqual({ note: 'on my way' });
    const long = AcknowledgeAlertRequest.safeParse({ note: 'x'.repeat(501) });
    expect(!long.success && long.error.issues[0]).toMatchObject({
      path: ['note'],
      message: 'must be at most 500 characters',
    });
  });
});

describe('SafetyThresholds', () => {
  it('has the clinical defaults', () => {
    expect(DEFAULT_SAFETY_THRESHOLDS).toEqual({
      deviceMaxIntensityMa: 50,
      impedanceMinOhm: 200,
      impedanceMaxOhm: 10_000,
      intensityJumpMa: 4,
      jumpWindowMs: 1000,
      offlineAfterMs: 5000,
      overrunGraceMinutes: 2,
      clearAfterMs: 2000,
      escalateAfterSeconds: 120,
    });
  });

  it('refuses limits that turn a rule off or contradict each other', () => {
    const crossed = SafetyThresholds.safeParse({ impedanceMinOhm: 20_000 });
    expect(!crossed.success && crossed.error.issues[0]).toMatchObject({
      path: ['impedanceMaxOhm'],
      message: 'must be above impedanceMinOhm',
    });
    expect(SafetyThresholds.safeParse({ intensityJumpMa: 0 }).success).toBe(false);
    expect(SafetyThresholds.safeParse({ offlineAfterMs: -1 }).success).toBe(false);
  });
});
