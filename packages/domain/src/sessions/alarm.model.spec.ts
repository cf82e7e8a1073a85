import {
  AcknowledgeAlertRequest,
  Alert,
  AlertDraft,
  type AlertSeverity,
  ALERT_SEVERITY,
  alertKey,
  parseAlertKey,
} from './alert.schemas';
import {
  ALARM_EVENTS,
  ALARM_PRESENTATION,
  ALERT_STATUSES,
  type AlarmEvent,
  type AlertStatus,
  acknowledgementKind,
  alarmTransition,
  alertHeadline,
  alertVersion,
  alertWhere,
  audioPauseRemainingMs,
  compareAlarms,
  compareAlertVersions,
  compareSessionsForTriage,
  escalationDueAt,
  isSounding,
  needsAcknowledgement,
  pauseAudio,
  realertDueAt,
  sessionAttention,
  shouldEscalate,
  shouldRealert,
} from './alarm.model';
import { alertTransition } from './alert.state-machine';
import { DEFAULT_SAFETY_THRESHOLDS, SafetyThresholds } from './safety.thresholds';

const T0 = '2026-03-02T10:00:00.000Z';
const after = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const ACKED = after(20);

/** Every legal move: `status severity acked? event` → next status; anything else is illegal. */
const LEGAL: Record<string, AlertStatus> = {
  'open critical - acknowledge': 'acknowledged',
  'open critical - clear': 'latched',
  'open critical - end': 'latched',
  'open warning - acknowledge': 'acknowledged',
  'open warning - clear': 'resolved',
  'open warning - end': 'resolved',
  'open technical - acknowledge': 'acknowledged',
  'open technical - clear': 'resolved',
  'open technical - end': 'resolved',
  'latched critical - acknowledge': 'resolved',
  'latched critical - recur': 'open',
  'resolved critical - acknowledge': 'resolved',
  'resolved warning - acknowledge': 'resolved',
  'resolved technical - acknowledge': 'resolved',
};
for (const severity of ['critical', 'warning', 'technical']) {
  LEGAL[`acknowledged ${severity} acked clear`] = 'resolved';
  LEGAL[`acknowledged ${severity} acked end`] = 'resolved';
  LEGAL[`acknowledged ${severity} acked realert`] = 'open';
}
const SEVERITIES: AlertSeverity[] = ['critical', 'warning', 'technical'];
/** Reachable combinations: acknowledged ones carry acknowledgedAt, resolved ones may; only criticals latch. */
const cases = ALERT_STATUSES.flatMap((status) =>
  SEVERITIES.filter((severity) => status !== 'latched' || severity === 'critical').flatMap(
    (severity) =>
      (status === 'acknowledged'
        ? [true]
        : status === 'resolved'
          ? [false, true]
          : [false]
      ).flatMap((acked) => ALARM_EVENTS.map((event) => [status, severity, acked, event] as const)),
  ),
);

describe('alarm transitions', () => {
  it.each(cases)(
    '%s %s (acknowledged before: %s) + %s follows the model',
    (status, severity, acked, event) => {
      const expected = LEGAL[`${status} ${severity} ${acked ? 'acked' : '-'} ${event}`];
      const result = alarmTransition(
        { status, severity, acknowledgedAt: acked ? ACKED : null },
        event as AlarmEvent,
      );
      if (expected) expect(result).toEqual({ ok: true, status: expected });
      else
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'illegal_transition', from: status, event },
        });
    },
  );

  it('says why a move is illegal', () => {
    const twice = alarmTransition(
      { status: 'acknowledged', severity: 'critical', acknowledgedAt: ACKED },
      'acknowledge',
    );
    expect(!twice.ok && twice.error.message).toBe(
      'cannot acknowledge an alert that is acknowledged (allowed: clear, end, realert)',
    );
    const closed = alarmTransition(
      { status: 'resolved', severity: 'warning', acknowledgedAt: ACKED },
      'acknowledge',
    );
    expect(!closed.ok && closed.error.message).toBe(
      'cannot acknowledge an alert that is resolved (it was acknowledged and is closed)',
    );
  });

  it('records a resolved alert answered as a dismissal', () => {
    expect(acknowledgementKind({ status: 'resolved' })).toBe('dismissed');
    expect(acknowledgementKind({ status: 'latched' })).toBe('acknowledged');
    expect(acknowledgementKind({ status: 'open' })).toBe('acknowledged');
  });

  it('keeps the old name working', () => {
    expect(
      alertTransition({ status: 'open', severity: 'critical', acknowledgedAt: null }, 'clear'),
    ).toEqual({ ok: true, status: 'latched' });
  });

  it('gives impedance the technical priority', () => {
    expect(ALERT_SEVERITY.impedance_out_of_range).toBe('technical');
    expect(ALERT_SEVERITY.device_offline).toBe('critical');
    expect(ALERT_SEVERITY.intensity_jump).toBe('warning');
    expect(ALARM_PRESENTATION.critical).toMatchObject({
      shape: 'triangle',
      tone: 'high',
      repeatSeconds: 10,
    });
    expect(ALARM_PRESENTATION.warning).toMatchObject({
      shape: 'diamond',
      tone: 'medium',
      repeatSeconds: 25,
    });
    expect(ALARM_PRESENTATION.technical).toMatchObject({
      shape: 'circle',
      tone: 'low',
      repeatSeconds: 0,
    });
  });
});

describe('sounding and acknowledgement', () => {
  const base = { severity: 'warning' as const, acknowledgedAt: null };
  it('sounds while open or latched', () => {
    expect(ALERT_STATUSES.filter((status) => isSounding({ status }))).toEqual(['open', 'latched']);
  });

  it('asks for acknowledgement while sounding, and a self-cleared warning may be dismissed', () => {
    expect(needsAcknowledgement({ ...base, status: 'open' })).toBe(true);
    expect(needsAcknowledgement({ ...base, severity: 'critical', status: 'latched' })).toBe(true);
    expect(needsAcknowledgement({ ...base, status: 'acknowledged', acknowledgedAt: ACKED })).toBe(
      false,
    );
    expect(needsAcknowledgement({ ...base, status: 'resolved' })).toBe(true);
    expect(needsAcknowledgement({ ...base, severity: 'technical', status: 'resolved' })).toBe(true);
    expect(needsAcknowledgement({ ...base, status: 'resolved', acknowledgedAt: ACKED })).toBe(
      false,
    );
    expect(needsAcknowledgement({ ...base, severity: 'critical', status: 'resolved' })).toBe(false);
  });
});

describe('re-alert', () => {
  const acked = { status: 'acknowledged' as const, acknowledgedAt: ACKED };
  it('sounds an acknowledged alert again realertAfterSeconds after the acknowledgement', () => {
    expect(shouldRealert(acked, after(20 + 179), DEFAULT_SAFETY_THRESHOLDS)).toBe(false);
    expect(shouldRealert(acked, after(20 + 180), DEFAULT_SAFETY_THRESHOLDS)).toBe(true);
    expect(shouldRealert(acked, Date.parse(after(900)), DEFAULT_SAFETY_THRESHOLDS)).toBe(true);
    expect(realertDueAt(acked, DEFAULT_SAFETY_THRESHOLDS)).toBe(after(200));
    const quick = SafetyThresholds.parse({ realertAfterSeconds: 30 });
    expect(shouldRealert(acked, after(50), quick)).toBe(true);
  });

  it('only re-alerts acknowledged alerts', () => {
    for (const status of ['open', 'latched', 'resolved'] as const)
      expect(
        shouldRealert({ status, acknowledgedAt: ACKED }, after(9999), DEFAULT_SAFETY_THRESHOLDS),
      ).toBe(false);
    expect(
      realertDueAt({ status: 'open', acknowledgedAt: null }, DEFAULT_SAFETY_THRESHOLDS),
    ).toBeNull();
  });
});

describe('escalation', () => {
  const critical = {
    severity: 'critical' as const,
    status: 'open' as AlertStatus,
    raisedAt: T0,
    escalatedAt: null,
  };

  it('escalates a critical alert left unacknowledged for escalateAfterSeconds, once', () => {
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

  it('escalates a latched critical too: cleared is not answered', () => {
    expect(
      shouldEscalate({ ...critical, status: 'latched' }, after(120), DEFAULT_SAFETY_THRESHOLDS),
    ).toBe(true);
  });

  it('never escalates warnings, technical, acknowledged or resolved alerts', () => {
    for (const severity of ['warning', 'technical'] as const) {
      expect(shouldEscalate({ ...critical, severity }, after(600), DEFAULT_SAFETY_THRESHOLDS)).toBe(
        false,
      );
      expect(escalationDueAt({ ...critical, severity }, DEFAULT_SAFETY_THRESHOLDS)).toBeNull();
    }
    for (const status of ['acknowledged', 'resolved'] as const)
      expect(shouldEscalate({ ...critical, status }, after(600), DEFAULT_SAFETY_THRESHOLDS)).toBe(
        false,
      );
  });

  it('follows the clinic threshold', () => {
    const quick = SafetyThresholds.parse({ escalateAfterSeconds: 30 });
    expect(shouldEscalate(critical, after(30), quick)).toBe(true);
  });
});

describe('headline and where', () => {
  const ch = {
    channel: 1,
    muscle: 'infraspinatus' as const,
    side: 'right' as const,
    value: 23.5,
    limit: 18,
  };
  const none = { channel: null, muscle: null, side: null };

  it('puts the value against its limit', () => {
    expect(alertHeadline({ ...ch, kind: 'intensity_over_ceiling' })).toBe(
      'Ch 1 right infraspinatus 23.5 mA > ceiling 18 mA',
    );
    expect(
      alertHeadline({ ...ch, kind: 'intensity_over_device_limit', value: 52, limit: 50 }),
    ).toBe('Ch 1 right infraspinatus 52 mA > device limit 50 mA');
    expect(
      alertHeadline({
        ...ch,
        kind: 'impedance_out_of_range',
        channel: 2,
        muscle: 'upper_trapezius',
        side: 'left',
        value: 15_000,
        limit: 10_000,
      }),
    ).toBe('Ch 2 left upper trapezius impedance 15,000 Ω > max 10,000 Ω');
    expect(alertHeadline({ ...ch, kind: 'impedance_out_of_range', value: 150, limit: 200 })).toBe(
      'Ch 1 right infraspinatus impedance 150 Ω < min 200 Ω',
    );
    expect(alertHeadline({ ...ch, kind: 'intensity_jump', value: 5, limit: 4 })).toBe(
      'Ch 1 right infraspinatus rose 5 mA in 1 s > 4 mA',
    );
    expect(
      alertHeadline({ ...ch, kind: 'intensity_jump', value: 5, limit: 4 }, { jumpWindowMs: 500 }),
    ).toBe('Ch 1 right infraspinatus rose 5 mA in 0.5 s > 4 mA');
    expect(alertHeadline({ ...none, kind: 'device_offline', value: 12.4, limit: 5 })).toBe(
      'Device offline 12 s > 5 s',
    );
    expect(alertHeadline({ ...none, kind: 'session_overrun', value: 34.6, limit: 32 })).toBe(
      'Overrun 34 min > allowed 32 min',
    );
    expect(alertHeadline({ ...none, kind: 'monitoring_degraded', value: null, limit: null })).toBe(
      'Monitoring degraded',
    );
  });

  it('names midline and unknown muscles, and falls back without a value', () => {
    expect(
      alertHeadline({
        ...ch,
        kind: 'intensity_over_ceiling',
        muscle: 'multifidus',
        side: 'midline',
      }),
    ).toBe('Ch 1 multifidus (midline) 23.5 mA > ceiling 18 mA');
    expect(alertHeadline({ ...ch, kind: 'intensity_over_ceiling', muscle: null, side: null })).toBe(
      'Ch 1 23.5 mA > ceiling 18 mA',
    );
    expect(alertHeadline({ ...ch, kind: 'intensity_over_ceiling', value: null })).toBe(
      'Ch 1 right infraspinatus above ceiling',
    );
    expect(alertHeadline({ ...none, kind: 'device_offline', value: null, limit: null })).toBe(
      'Device offline',
    );
  });

  it('says where: clinic, room, initials, skipping the unknown', () => {
    expect(
      alertWhere({ clinicName: 'North Clinic', roomName: 'Room 2', patientInitials: 'A.G.' }),
    ).toBe('North Clinic · Room 2 · A.G.');
    expect(alertWhere({ clinicName: 'North Clinic', roomName: null, patientInitials: null })).toBe(
      'North Clinic',
    );
    expect(alertWhere({ clinicName: null, roomName: 'Room 2', patientInitials: 'A.G.' })).toBe(
      'Room 2 · A.G.',
    );
  });
});

describe('tray order', () => {
  const a = (id: string, status: AlertStatus, severity: AlertSeverity, raisedAt: string) => ({
    id,
    status,
    severity,
    raisedAt,
  });
  it('puts sounding first by priority, then acknowledged, then resolved, newest first', () => {
    const alerts = [
      a('r1', 'resolved', 'critical', after(50)),
      a('k1', 'acknowledged', 'critical', after(40)),
      a('t1', 'open', 'technical', after(30)),
      a('w1', 'open', 'warning', after(10)),
      a('w2', 'open', 'warning', after(20)),
      a('l1', 'latched', 'critical', after(1)),
      a('c1', 'open', 'critical', after(2)),
      a('c0', 'open', 'critical', after(2)),
    ];
    expect([...alerts].sort(compareAlarms).map((x) => x.id)).toEqual([
      'c0',
      'c1',
      'l1',
      'w2',
      'w1',
      't1',
      'k1',
      'r1',
    ]);
  });
});

describe('alert version', () => {
  const v = (over: Partial<Parameters<typeof alertVersion>[0]>) => ({
    occurrences: 1,
    realertedAt: null,
    status: 'open' as AlertStatus,
    acknowledgedAt: null,
    ...over,
  });
  it('moves forward through a lifetime and never back', () => {
    const life = [
      v({}),
      v({ status: 'acknowledged', acknowledgedAt: ACKED }),
      v({ status: 'open', realertedAt: after(200) }),
      v({ status: 'acknowledged', realertedAt: after(200), acknowledgedAt: after(210) }),
      v({ status: 'resolved', realertedAt: after(200), acknowledgedAt: after(210) }),
    ];
    for (let i = 1; i < life.length; i++) {
      expect(compareAlertVersions(life[i]!, life[i - 1]!)).toBeGreaterThan(0);
      expect(compareAlertVersions(life[i - 1]!, life[i]!)).toBeLessThan(0);
    }
    const latchedLife = [
      v({}),
      v({ status: 'latched' }),
      v({ occurrences: 2 }),
      v({ occurrences: 2, status: 'latched' }),
      v({ occurrences: 2, status: 'resolved', acknowledgedAt: after(300) }),
    ];
    for (let i = 1; i < latchedLife.length; i++)
      expect(compareAlertVersions(latchedLife[i]!, latchedLife[i - 1]!)).toBeGreaterThan(0);
    expect(
      compareAlertVersions(
        v({ status: 'resolved' }),
        v({ status: 'resolved', acknowledgedAt: ACKED }),
      ),
    ).toBeLessThan(0);
    expect(compareAlertVersions(v({}), v({}))).toBe(0);
    expect(alertVersion(v({ realertedAt: after(0) }))).toEqual([1, Date.parse(T0), 0, 0]);
  });
});

describe('board triage', () => {
  const alert = (status: AlertStatus, severity: AlertSeverity) => ({ status, severity });
  it('ranks unacknowledged critical, warning, technical, then running, paused, ready', () => {
    const running = { status: 'running' as const };
    expect(
      sessionAttention(running, [alert('open', 'technical'), alert('latched', 'critical')]),
    ).toBe(0);
    expect(
      sessionAttention(running, [alert('acknowledged', 'critical'), alert('open', 'warning')]),
    ).toBe(1);
    expect(sessionAttention(running, [alert('open', 'technical')])).toBe(2);
    expect(
      sessionAttention(running, [alert('acknowledged', 'critical'), alert('resolved', 'warning')]),
    ).toBe(3);
    expect(sessionAttention({ status: 'paused' }, [])).toBe(4);
    expect(sessionAttention({ status: 'ready' }, [])).toBe(5);
    expect(sessionAttention({ status: 'completed' }, [alert('latched', 'critical')])).toBe(0);
    expect(sessionAttention({ status: 'aborted' }, [])).toBe(6);
  });

  it('orders by rank, then room in natural order', () => {
    const rows = [
      { rank: 3, roomName: 'Room 10', sessionId: 'a' },
      { rank: 3, roomName: 'Room 2', sessionId: 'b' },
      { rank: 0, roomName: 'Room 9', sessionId: 'c' },
      { rank: 3, roomName: 'room 2', sessionId: 'a' },
    ];
    expect([...rows].sort(compareSessionsForTriage).map((r) => `${r.rank} ${r.roomName}`)).toEqual([
      '0 Room 9',
      '3 room 2',
      '3 Room 2',
      '3 Room 10',
    ]);
  });
});

describe('audio pause', () => {
  it('pauses for 2 minutes by default, 1–2 minutes at most, never for good', () => {
    const now = 1_000_000;
    expect(pauseAudio(now)).toEqual({ pausedUntil: now + 120_000 });
    expect(pauseAudio(now, 90_000)).toEqual({ pausedUntil: now + 90_000 });
    expect(pauseAudio(now, 10 * 60_000)).toEqual({ pausedUntil: now + 120_000 });
    expect(pauseAudio(now, Infinity)).toEqual({ pausedUntil: now + 120_000 });
    expect(pauseAudio(now, 1_000)).toEqual({ pausedUntil: now + 60_000 });
    const state = pauseAudio(now);
    expect(audioPauseRemainingMs(state, now + 30_000)).toBe(90_000);
    expect(audioPauseRemainingMs(state, now + 120_000)).toBe(0);
    expect(audioPauseRemainingMs(state, now + 999_000)).toBe(0);
    expect(audioPauseRemainingMs(null, now)).toBe(0);
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
      side: 'left',
      message: draft.message,
      value: 12.4,
      limit: 10,
      clinicName: 'North Clinic',
      roomName: 'Room 2',
      patientInitials: 'A.G.',
      status: 'acknowledged',
      raisedAt: draft.at,
      clearedAt: null,
      resolvedAt: null,
      occurrences: 1,
      realertedAt: null,
      acknowledgedAt: '2026-03-02T10:00:20.000Z',
      acknowledgedBy: id,
      acknowledgedByName: 'Sam Supervisor',
      acknowledgementNote: 'turned it down',
      escalatedAt: null,
    };
    expect(Alert.parse(alert)).toEqual(alert);
    expect(Alert.safeParse({ ...alert, status: 'escalated' }).success).toBe(false);
    expect(Alert.parse({ ...alert, status: 'latched' }).status).toBe('latched');
    expect(Alert.safeParse({ ...alert, occurrences: 0 }).success).toBe(false);

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
      realertAfterSeconds: 180,
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
    expect(SafetyThresholds.safeParse({ realertAfterSeconds: 29 }).success).toBe(false);
    expect(SafetyThresholds.parse({ realertAfterSeconds: 30 }).realertAfterSeconds).toBe(30);
  });
});
