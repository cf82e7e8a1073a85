import { DEFAULT_SAFETY_THRESHOLDS, type Alert, type LiveSession } from '@tautline/domain';
import { BoardStore } from './board.store';

// The store alone (no React, frames run by hand): how `(updateEpoch, updateSeq)` orders updates and snapshots.

const CLINIC = '11111111-1111-4111-8111-111111111111';
const SESSION = 'b1111111-1111-4111-8111-111111111111';

function session(updateEpoch: number, updateSeq: number, intensityMa: number): LiveSession {
  const now = new Date().toISOString();
  return {
    sessionId: SESSION,
    clinicId: CLINIC,
    roomId: 'a1111111-1111-4111-8111-111111111111',
    roomName: 'Room 1',
    deviceId: 'c1111111-1111-4111-8111-111111111111',
    appointmentId: 'd1111111-1111-4111-8111-111111111111',
    patientInitials: 'O.B.',
    practitionerName: 'Eleanor Whitcombe',
    status: 'running',
    plan: {
      plannedDurationMinutes: 20,
      channels: [
        {
          channel: 1,
          muscle: 'upper_trapezius',
          side: 'left',
          waveform: 'biphasic_symmetric',
          frequencyHz: 4,
          pulseWidthUs: 250,
          intensityCeilingMa: 12,
        },
      ],
    },
    thresholds: DEFAULT_SAFETY_THRESHOLDS,
    startedAt: now,
    runningSeconds: 0,
    runningSince: now,
    latest: {
      seq: updateSeq * 10 + updateEpoch,
      at: now,
      receivedAt: now,
      batteryPct: 80,
      flags: [],
      channels: [
        { channel: 1, intensityMa, frequencyHz: 4, pulseWidthUs: 250, impedanceOhm: 1500 },
      ],
    },
    openAlerts: [],
    updateEpoch,
    updateSeq,
  };
}

describe('BoardStore ordering of live updates', () => {
  let gaps: string[][];
  let store: BoardStore;
  const intensity = () => store.session(SESSION)?.latest?.channels[0]?.intensityMa;
  const receive = (s: LiveSession) => {
    store.receive(s);
    store.flush();
  };

  beforeEach(() => {
    gaps = [];
    store = new BoardStore({
      onGap: (ids) => gaps.push(ids),
      requestFrame: () => 1,
      cancelFrame: () => undefined,
    });
    store.applySnapshot([CLINIC], [session(1_000, 40, 5)]);
  });

  it('applies the next update and drops a late or repeated one', () => {
    receive(session(1_000, 41, 6));
    receive(session(1_000, 39, 1));
    receive(session(1_000, 41, 2));
    expect(intensity()).toBe(6);
    expect(gaps).toEqual([]);
  });

  it('applies an update after a gap and asks for the snapshot', () => {
    receive(session(1_000, 44, 7));
    expect(intensity()).toBe(7);
    expect(gaps).toEqual([[CLINIC]]);
  });

  it('after Redis lost its data: a new epoch starting at 1 is applied at once, and keeps being applied', () => {
    receive(session(2_000, 1, 8));
    expect(intensity()).toBe(8);
    expect(gaps).toEqual([[CLINIC]]); // re-fetch once: what happened in between may have been missed
    receive(session(2_000, 2, 9));
    expect(intensity()).toBe(9);
    // An update of the old epoch still on its way is older, whatever its seq.
    receive(session(1_000, 45, 1));
    expect(intensity()).toBe(9);
    expect(gaps).toEqual([[CLINIC]]);
  });

  it('takes a snapshot of a new epoch over higher seqs of the old one, never an older snapshot', () => {
    store.applySnapshot([CLINIC], [session(2_000, 0, 3)]);
    expect(intensity()).toBe(3);
    store.applySnapshot([CLINIC], [session(1_000, 50, 4)]);
    expect(intensity()).toBe(3);
    receive(session(2_000, 1, 6));
    expect(intensity()).toBe(6);
    expect(gaps).toEqual([]);
  });
});

describe('BoardStore triage order and clinic strips', () => {
  const sessionIn = (n: number, patch: Partial<LiveSession> = {}): LiveSession => ({
    ...session(1_000, 1, 5),
    sessionId: `b${n}111111-1111-4111-8111-111111111111`,
    roomId: `a${n}111111-1111-4111-8111-111111111111`,
    roomName: `Room ${n}`,
    ...patch,
  });
  const critical = (sessionId: string, patch: Partial<Alert> = {}): Alert => ({
    id: `e${sessionId.slice(1, 8)}-0000-4000-8000-000000000000`,
    sessionId,
    clinicId: CLINIC,
    roomId: null,
    kind: 'intensity_over_ceiling',
    severity: 'critical',
    channel: 1,
    muscle: 'upper_trapezius',
    side: 'left',
    message: 'over',
    value: 15,
    limit: 12,
    clinicName: null,
    roomName: null,
    patientInitials: null,
    status: 'open',
    raisedAt: new Date().toISOString(),
    clearedAt: null,
    resolvedAt: null,
    occurrences: 1,
    realertedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgedByName: null,
    acknowledgementNote: null,
    escalatedAt: null,
    ...patch,
  });
  let store: BoardStore;
  const rooms = () => store.order().map((e) => `${e.roomName}:${e.rank}`);

  beforeEach(() => {
    store = new BoardStore({
      onGap: () => undefined,
      requestFrame: () => 1,
      cancelFrame: () => undefined,
    });
    store.applySnapshot(
      [CLINIC],
      [
        sessionIn(1, { status: 'ready', runningSince: null }),
        sessionIn(2, { status: 'paused', runningSince: null }),
        sessionIn(3),
        sessionIn(9),
        sessionIn(4),
      ],
    );
  });

  it('orders running → paused → ready, rooms in natural order, and puts an alarming session first', () => {
    expect(rooms()).toEqual(['Room 3:3', 'Room 4:3', 'Room 9:3', 'Room 2:4', 'Room 1:5']);
    const s9 = sessionIn(9).sessionId;
    store.upsertAlerts([critical(s9, { severity: 'warning', kind: 'intensity_jump' })]);
    expect(rooms()[0]).toBe('Room 9:1');
    store.upsertAlerts([critical(sessionIn(1).sessionId)]);
    expect(rooms().slice(0, 2)).toEqual(['Room 1:0', 'Room 9:1']);
    // A latched critical (condition cleared, nobody acknowledged) still comes first.
    store.upsertAlerts([critical(sessionIn(1).sessionId, { status: 'latched' })]);
    expect(rooms()[0]).toBe('Room 1:0');
    store.upsertAlerts([
      critical(sessionIn(1).sessionId, {
        status: 'resolved',
        acknowledgedAt: new Date().toISOString(),
      }),
    ]);
    expect(rooms().slice(0, 2)).toEqual(['Room 9:1', 'Room 3:3']);
    expect(store.summary(CLINIC)).toEqual({ running: 3, alarming: 1, offline: 0, degraded: false });
  });

  it('keeps the same order array (no grid re-render) for ordinary readings', () => {
    const before = store.order();
    const summary = store.summary(CLINIC);
    const update = { ...sessionIn(3), updateSeq: 2 };
    store.receive(update);
    store.flush();
    expect(store.order()).toBe(before);
    expect(store.summary(CLINIC)).toBe(summary);
    store.receive({ ...sessionIn(3), updateSeq: 3, status: 'paused', runningSince: null });
    store.flush();
    expect(store.order()).not.toBe(before);
    expect(store.summary(CLINIC).running).toBe(2);
  });

  it('applies live alert events with the next frame, announcing a critical once', () => {
    const announced: string[] = [];
    const live = new BoardStore({
      onGap: () => undefined,
      onCritical: (a) => announced.push(a.id),
      requestFrame: () => 1,
      cancelFrame: () => undefined,
    });
    live.applySnapshot([CLINIC], [sessionIn(3)]);
    const raised = critical(sessionIn(3).sessionId);
    const listEvery = live.alertsList();
    live.receiveAlert(raised);
    live.receiveAlert({ ...raised, escalatedAt: null });
    expect(live.alertsList()).toBe(listEvery); // nothing until the frame
    live.flush();
    expect(live.alertsList()).toHaveLength(1);
    expect(announced).toEqual([raised.id]);
    expect(live.order()[0]!.rank).toBe(0);
    // Latched, then re-opened by the condition coming back: announced again.
    live.receiveAlert({ ...raised, status: 'latched' });
    live.flush();
    live.receiveAlert({ ...raised, status: 'open', occurrences: 2 });
    live.flush();
    expect(announced).toEqual([raised.id, raised.id]);
  });

  it('counts offline devices and a degraded clinic in the strip', () => {
    const s3 = sessionIn(3).sessionId;
    store.upsertAlerts([
      critical(s3, { kind: 'device_offline', channel: null, muscle: null }),
      critical(s3, {
        id: 'f0000000-0000-4000-8000-000000000000',
        sessionId: null,
        kind: 'monitoring_degraded',
        severity: 'technical',
        channel: null,
        muscle: null,
      }),
    ]);
    expect(store.summary(CLINIC)).toEqual({ running: 3, alarming: 1, offline: 1, degraded: true });
  });
});
