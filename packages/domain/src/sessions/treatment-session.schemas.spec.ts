import { type z } from 'zod';
import { NECK_PLAN, channel } from './testing/session.fixtures';
import {
  AdverseEvent,
  ChannelPlan,
  SessionPlan,
  StartSessionRequest,
  StopSessionRequest,
  TreatmentSession,
  WAVEFORMS,
  channelPlan,
} from './treatment-session.schemas';

/** `path → message` of every issue, as the API names failing fields. */
function issues(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('ChannelPlan', () => {
  it('accepts a channel wired to a catalogue muscle', () => {
    expect(
      ChannelPlan.parse(channel({ channel: 8, waveform: 'burst', frequencyHz: 2.5 })),
    ).toMatchObject({ channel: 8, frequencyHz: 2.5 });
    expect(WAVEFORMS).toEqual(['biphasic_symmetric', 'biphasic_asymmetric', 'monophasic', 'burst']);
  });

  it.each([
    ['channel', 0, 'must be a channel from 1 to 8'],
    ['channel', 9, 'must be a channel from 1 to 8'],
    ['channel', 1.5, 'must be a whole channel number'],
    ['frequencyHz', 0.5, 'must be at least 1 Hz'],
    ['frequencyHz', 251, 'must be at most 250 Hz'],
    ['pulseWidthUs', 49, 'must be at least 50 µs'],
    ['pulseWidthUs', 501, 'must be at most 500 µs'],
    ['intensityCeilingMa', 0.4, 'must be at least 0.5 mA'],
    ['intensityCeilingMa', 50.1, 'must be at most 50 mA'],
  ])('%s = %s: %s', (field, value, message) => {
    expect(issues(ChannelPlan, { ...channel({ channel: 1 }), [field]: value })).toEqual({
      [field]: message,
    });
  });

  it('accepts the bounds themselves', () => {
    const edges = { channel: 8, frequencyHz: 250, pulseWidthUs: 50, intensityCeilingMa: 0.5 };
    expect(ChannelPlan.safeParse({ ...channel({ channel: 1 }), ...edges }).success).toBe(true);
  });

  it('refuses unknown muscles, sides, waveforms and fields', () => {
    const bad = {
      ...channel({ channel: 1 }),
      muscle: 'deltoid',
      side: 'both',
      waveform: 'sine',
      intensityMaxMa: 5,
    };
    expect(Object.keys(issues(ChannelPlan, bad)).sort()).toEqual([
      '',
      'muscle',
      'side',
      'waveform',
    ]);
    expect(issues(ChannelPlan, { ...channel({ channel: 1 }), intensityMaxMa: 5 })['']).toMatch(
      /intensityMaxMa/,
    );
    expect(
      issues(ChannelPlan, { ...channel({ channel: 1 }), frequencyHz: Infinity }),
    ).toHaveProperty('frequencyHz');
  });
});

describe('SessionPlan', () => {
  it('accepts 1 to 8 channels with unique numbers', () => {
    expect(SessionPlan.parse(NECK_PLAN)).toEqual(NECK_PLAN);
    const eight = {
      plannedDurationMinutes: 90,
      channels: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => channel({ channel: n })),
    };
    expect(SessionPlan.safeParse(eight).success).toBe(true);
  });

  it('names the repeated channel', () => {
    const plan = {
      ...NECK_PLAN,
      channels: [
        channel({ channel: 2 }),
        channel({ channel: 3 }),
        channel({ channel: 2, side: 'right' }),
      ],
    };
    expect(issues(SessionPlan, plan)).toEqual({
      'channels.2.channel': 'channel 2 is planned twice',
    });
  });

  it.each([
    [{ channels: [] }, 'channels', 'plan at least one channel'],
    [
      { channels: [1, 2, 3, 4, 5, 6, 7, 8, 1].map((n) => channel({ channel: n })) },
      'channels',
      'a stimulator has at most 8 channels',
    ],
    [{ plannedDurationMinutes: 0 }, 'plannedDurationMinutes', 'must be at least 1 minute'],
    [{ plannedDurationMinutes: 91 }, 'plannedDurationMinutes', 'must be at most 90 minutes'],
    [{ plannedDurationMinutes: 12.5 }, 'plannedDurationMinutes', 'must be whole minutes'],
  ])('%o: %s %s', (change, path, message) => {
    expect(issues(SessionPlan, { ...NECK_PLAN, ...change })).toMatchObject({ [path]: message });
  });

  it('points into the failing channel', () => {
    const plan = {
      ...NECK_PLAN,
      channels: [channel({ channel: 1 }), { ...channel({ channel: 2 }), intensityCeilingMa: 80 }],
    };
    expect(issues(SessionPlan, plan)).toEqual({
      'channels.1.intensityCeilingMa': 'must be at most 50 mA',
    });
    expect(channelPlan(NECK_PLAN, 3)?.muscle).toBe('levator_scapulae');
    expect(channelPlan(NECK_PLAN, 4)).toBeUndefined();
  });
});

describe('session requests', () => {
  const appointmentId = '7d3c3a8e-2f0e-4c55-9d55-1a2b3c4d5e6f';

  it('starts with an appointment and a valid plan', () => {
    expect(StartSessionRequest.safeParse({ appointmentId, plan: NECK_PLAN }).success).toBe(true);
    expect(
      Object.keys(
        issues(StartSessionRequest, { appointmentId: 'a-1', plan: { ...NECK_PLAN, channels: [] } }),
      ),
    ).toEqual(['appointmentId', 'plan.channels']);
  });

  it('records an adverse event; "other" needs notes', () => {
    expect(StopSessionRequest.parse({ adverseEvent: { kind: 'none' } })).toEqual({
      adverseEvent: { kind: 'none' },
    });
    expect(
      AdverseEvent.parse({ kind: 'vasovagal', notes: '  felt faint, lay flat 5 min\nrecovered  ' }),
    ).toEqual({
      kind: 'vasovagal',
      notes: 'felt faint, lay flat 5 min\nrecovered',
    });
    expect(issues(StopSessionRequest, { adverseEvent: { kind: 'other' } })).toEqual({
      'adverseEvent.notes': 'describe the adverse event when kind is other',
    });
    expect(issues(AdverseEvent, { kind: 'other', notes: '   ' })).toEqual({
      notes: 'describe the adverse event when kind is other',
    });
    expect(
      AdverseEvent.safeParse({ kind: 'other', notes: 'cramp in the calf after removal' }).success,
    ).toBe(true);
  });

  it('keeps notes printable and at most 2000 characters', () => {
    expect(issues(AdverseEvent, { kind: 'bruising', notes: 'x'.repeat(2001) })).toEqual({
      notes: 'must be at most 2000 characters',
    });
    expect(AdverseEvent.safeParse({ kind: 'bruising', notes: 'x'.repeat(2000) }).success).toBe(
      true,
    );
    expect(issues(AdverseEvent, { kind: 'bleeding', notes: 'pressure\u0000applied' })).toEqual({
      notes: 'contains control characters',
    });
    expect(issues(AdverseEvent, { kind: 'fainting' })).toHaveProperty('kind');
  });
});

describe('TreatmentSession', () => {
  it('describes a session as the API answers it', () => {
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const session = {
      id: id(1),
      appointmentId: id(2),
      clinicId: id(3),
      roomId: id(4),
      deviceId: id(5),
      practitionerId: id(6),
      status: 'running',
      plan: NECK_PLAN,
      startedAt: '2026-03-02T10:00:00.000Z',
      endedAt: null,
      runningSeconds: 0,
      runningSince: '2026-03-02T10:00:00.000Z',
      summary: null,
      adverseEvent: null,
      createdAt: '2026-03-02T09:58:00.000Z',
    };
    expect(TreatmentSession.parse(session)).toEqual(session);
    expect(issues(TreatmentSession, { ...session, status: 'stopped' })).toHaveProperty('status');
  });
});
