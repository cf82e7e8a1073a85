import { DEFAULT_SAFETY_THRESHOLDS, type LiveSession } from '@tautline/domain';
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
