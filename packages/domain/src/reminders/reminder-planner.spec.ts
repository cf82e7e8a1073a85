import { DateTime } from 'luxon';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from './reminder-policy.schemas';
import {
  type PlanRemindersInput,
  beforeQuietHours,
  chooseReminderChannel,
  isQuietMinute,
  planReminders,
} from './reminder-planner';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const HOUR_MS = 3_600_000;

const local = (iso: string, zone: string): string =>
  DateTime.fromISO(iso, { zone }).toFormat('yyyy-LL-dd HH:mm');
const utc = (localTime: string, zone: string): string =>
  DateTime.fromISO(localTime, { zone }).toUTC().toISO() ?? '';

function plan(overrides: {
  start: string;
  now: string;
  clinicTimeZone?: string;
  patientTimeZone?: string;
  policy?: Partial<ReminderPolicy>;
  patient?: Partial<PlanRemindersInput['patient']>;
  cause?: PlanRemindersInput['cause'];
}) {
  return planReminders({
    appointment: {
      id: '00000000-0000-4000-8000-000000000001',
      start: overrides.start,
      clinicTimeZone: overrides.clinicTimeZone ?? NY,
    },
    policy: { ...DEFAULT_REMINDER_POLICY, ...overrides.policy },
    patient: {
      timeZone: overrides.patientTimeZone ?? overrides.clinicTimeZone ?? NY,
      availableChannels: ['sms', 'email'],
      preferredChannel: 'sms',
      optedOut: false,
      ...overrides.patient,
    },
    now: overrides.now,
    cause: overrides.cause,
  });
}

describe('planReminders: calendar offsets across DST (America/New_York)', () => {
  it('March (spring forward 2026-03-08): P1D is 09:00 local the day before, 23 real hours earlier', () => {
    const start = utc('2026-03-08T09:00', NY); // EDT
    expect(start).toBe('2026-03-08T13:00:00.000Z');
    const [day, twoHours] = plan({ start, now: '2026-03-01T12:00:00Z' });

    expect(day).toMatchObject({
      offset: 'P1D',
      status: 'planned',
      channel: 'sms',
      movedForQuietHours: false,
    });
    expect(day?.dueAt).toBe('2026-03-07T14:00:00.000Z'); // 09:00 EST
    expect(local(day?.dueAt ?? '', NY)).toBe('2026-03-07 09:00');
    expect(Date.parse(start) - Date.parse(day?.dueAt ?? '')).toBe(23 * HOUR_MS);

    // PT2H is two real hours: 07:00 EDT, inside 21:00–08:00 → 20:59 the evening before (EST).
    expect(twoHours?.nominalAt).toBe('2026-03-08T11:00:00.000Z');
    expect(local(twoHours?.nominalAt ?? '', NY)).toBe('2026-03-08 07:00');
    expect(twoHours).toMatchObject({
      status: 'planned',
      movedForQuietHours: true,
      dueAt: '2026-03-08T01:59:00.000Z',
    });
    expect(local(twoHours?.dueAt ?? '', NY)).toBe('2026-03-07 20:59');
  });

  it('March, the day after the change: both sides are EDT, 24 hours apart', () => {
    const start = utc('2026-03-09T09:00', NY);
    const [day] = plan({ start, now: '2026-03-01T12:00:00Z' });
    expect(local(day?.dueAt ?? '', NY)).toBe('2026-03-08 09:00');
    expect(Date.parse(start) - Date.parse(day?.dueAt ?? '')).toBe(24 * HOUR_MS);
  });

  it('November (fall back 2026-11-01): P1D is 09:00 local the day before, 25 real hours earlier', () => {
    const start = utc('2026-11-01T09:00', NY); // EST
    expect(start).toBe('2026-11-01T14:00:00.000Z');
    const [day, twoHours] = plan({ start, now: '2026-10-20T12:00:00Z' });

    expect(day?.dueAt).toBe('2026-10-31T13:00:00.000Z'); // 09:00 EDT
    expect(local(day?.dueAt ?? '', NY)).toBe('2026-10-31 09:00');
    expect(Date.parse(start) - Date.parse(day?.dueAt ?? '')).toBe(25 * HOUR_MS);

    expect(local(twoHours?.nominalAt ?? '', NY)).toBe('2026-11-01 07:00');
    expect(twoHours).toMatchObject({
      status: 'planned',
      movedForQuietHours: true,
      dueAt: '2026-11-01T00:59:00.000Z',
    });
    expect(local(twoHours?.dueAt ?? '', NY)).toBe('2026-10-31 20:59'); // EDT evening
  });
});

describe('planReminders: quiet hours are read in the patient zone', () => {
  it('a 09:00 New York appointment for a London patient: 07:00 NY is 12:00 London, not quiet', () => {
    const start = utc('2026-03-03T09:00', NY); // 14:00Z
    const [day, twoHours] = plan({ start, now: '2026-02-20T12:00:00Z', patientTimeZone: LONDON });
    expect(day).toMatchObject({ dueAt: '2026-03-02T14:00:00.000Z', movedForQuietHours: false });
    expect(twoHours).toMatchObject({
      dueAt: '2026-03-03T12:00:00.000Z',
      movedForQuietHours: false,
    });
  });

  it('an 18:00 New York appointment for a London patient: 21:00 and 23:00 London are quiet → 20:59 London', () => {
    const start = utc('2026-03-03T18:00', NY); // 23:00Z = 23:00 London (GMT)
    const [day, twoHours] = plan({ start, now: '2026-02-20T12:00:00Z', patientTimeZone: LONDON });
    expect(local(day?.dueAt ?? '', NY)).toBe('2026-03-02 15:59'); // not quiet for the clinic, but it is for the patient
    expect(day).toMatchObject({ dueAt: '2026-03-02T20:59:00.000Z', movedForQuietHours: true });
    expect(twoHours).toMatchObject({ dueAt: '2026-03-03T20:59:00.000Z', movedForQuietHours: true });
  });

  it('a 09:00 London appointment for a New York patient moves out of the New York night', () => {
    const start = utc('2026-03-03T09:00', LONDON); // 04:00 NY
    const [day, twoHours] = plan({
      start,
      now: '2026-02-20T12:00:00Z',
      clinicTimeZone: LONDON,
      patientTimeZone: NY,
    });
    expect(local(day?.dueAt ?? '', NY)).toBe('2026-03-01 20:59');
    expect(local(twoHours?.dueAt ?? '', NY)).toBe('2026-03-02 20:59');
    expect(twoHours?.movedForQuietHours).toBe(true);
  });

  it('with quiet hours off, nothing moves', () => {
    const start = utc('2026-03-08T09:00', NY);
    const [, twoHours] = plan({ start, now: '2026-03-01T12:00:00Z', policy: { quietHours: null } });
    expect(twoHours).toMatchObject({
      dueAt: '2026-03-08T11:00:00.000Z',
      movedForQuietHours: false,
    });
  });

  it('quiet hours are half-open [start, end), within one day or wrapping midnight', () => {
    const wrap = { start: '21:00', end: '08:00' };
    expect(
      [20 * 60 + 59, 21 * 60, 0, 7 * 60 + 59, 8 * 60].map((m) => isQuietMinute(m, wrap)),
    ).toEqual([false, true, true, true, false]);
    const lunch = { start: '12:00', end: '13:30' };
    expect(
      [11 * 60 + 59, 12 * 60, 13 * 60 + 29, 13 * 60 + 30].map((m) => isQuietMinute(m, lunch)),
    ).toEqual([false, true, true, false]);
    const moved = beforeQuietHours(
      DateTime.fromISO('2026-06-10T12:45', { zone: LONDON }),
      LONDON,
      lunch,
    );
    expect(moved.moved).toBe(true);
    expect(local(moved.at.toISO() ?? '', LONDON)).toBe('2026-06-10 11:59');
  });
});

describe('planReminders: late bookings, cut-off and change grace', () => {
  const start = utc('2026-05-12T15:00', NY); // afternoon: no quiet hours in play

  it('a booking made one hour before: P1D is in the past, PT2H too', () => {
    const now = DateTime.fromISO(start).minus({ hours: 1 }).toISO() ?? '';
    const reminders = plan({ start, now, cause: 'booked' });
    expect(reminders.map((r) => [r.offset, r.status, r.skipReason, r.dueAt])).toEqual([
      ['P1D', 'skipped', 'in_past', null],
      ['PT2H', 'skipped', 'in_past', null],
    ]);
  });

  it('no reminder closer than minimumLeadMinutes; exactly the cut-off is allowed', () => {
    const reminders = plan({
      start,
      now: '2026-05-01T12:00:00Z',
      policy: { offsets: ['PT30M', 'PT1H', 'PT59M'] },
    });
    expect(reminders.map((r) => r.status === 'planned' || r.skipReason)).toEqual([
      'within_cutoff',
      true,
      'within_cutoff',
    ]);
  });

  it('a change pushes a reminder due within the grace to now + grace', () => {
    const nominal = Date.parse(start) - 2 * HOUR_MS;
    const now = new Date(nominal - 60_000).toISOString(); // PT2H due in one minute
    const [, booked] = plan({ start, now, cause: 'rescheduled' });
    expect(booked).toMatchObject({
      status: 'planned',
      delayedForChangeGrace: true,
      dueAt: new Date(nominal + 60_000).toISOString(),
    });

    const [, replanned] = plan({ start, now }); // not caused by a change: no grace
    expect(replanned).toMatchObject({
      status: 'planned',
      delayedForChangeGrace: false,
      dueAt: new Date(nominal).toISOString(),
    });
  });

  it('a grace push that lands within the cut-off or at the start is skipped', () => {
    const now = new Date(Date.parse(start) - 62 * 60_000).toISOString();
    const ok = plan({ start, now, cause: 'booked', policy: { offsets: ['PT61M'] } });
    expect(ok[0]).toMatchObject({
      status: 'planned',
      dueAt: new Date(Date.parse(start) - HOUR_MS).toISOString(),
    });
    const late = plan({
      start,
      now,
      cause: 'booked',
      policy: { offsets: ['PT61M'], changeGraceMinutes: 3 },
    });
    expect(late[0]).toMatchObject({
      status: 'skipped',
      skipReason: 'within_cutoff',
      delayedForChangeGrace: true,
    });

    const justBefore = new Date(Date.parse(start) - 2 * 60_000).toISOString();
    const after = plan({
      start,
      now: justBefore,
      cause: 'booked',
      policy: { offsets: ['PT1M'], minimumLeadMinutes: 0 },
    });
    expect(after[0]).toMatchObject({ status: 'skipped', skipReason: 'after_appointment' });
  });

  it('a grace push into quiet hours is skipped (its last allowed minute has gone)', () => {
    const morning = utc('2026-05-12T09:00', NY);
    const now = utc('2026-05-11T20:58', NY); // PT12H is 21:00 → 20:59 NY, grace pushes to 21:00 → quiet
    const [r] = plan({ start: morning, now, cause: 'booked', policy: { offsets: ['PT12H'] } });
    expect(r).toMatchObject({
      status: 'skipped',
      skipReason: 'in_past',
      movedForQuietHours: true,
      delayedForChangeGrace: true,
    });
  });
});

describe('planReminders: patients and channels', () => {
  const start = utc('2026-05-12T15:00', NY);
  const now = '2026-05-01T12:00:00Z';

  it('an opted-out patient gets every reminder skipped', () => {
    const reminders = plan({ start, now, patient: { optedOut: true } });
    expect(reminders).toHaveLength(2);
    for (const r of reminders)
      expect(r).toMatchObject({
        status: 'skipped',
        skipReason: 'opted_out',
        channel: null,
        dueAt: null,
      });
  });

  it('a patient with no reachable channel gets no_channel', () => {
    const reminders = plan({
      start,
      now,
      patient: { availableChannels: [], preferredChannel: null },
    });
    expect(reminders.map((r) => r.skipReason)).toEqual(['no_channel', 'no_channel']);
  });

  it('uses the patient preference when reachable and allowed, else the policy order', () => {
    expect(
      chooseReminderChannel(['sms', 'email'], {
        availableChannels: ['sms', 'email'],
        preferredChannel: 'email',
      }),
    ).toBe('email');
    expect(
      chooseReminderChannel(['sms', 'email'], {
        availableChannels: ['sms'],
        preferredChannel: 'email',
      }),
    ).toBe('sms');
    expect(
      chooseReminderChannel(['sms'], { availableChannels: ['email'], preferredChannel: 'email' }),
    ).toBeNull();
    expect(plan({ start, now, patient: { preferredChannel: 'email' } })[0]?.channel).toBe('email');
  });

  it('reminders landing on the same instant are planned once', () => {
    const morning = utc('2026-05-12T09:00', NY);
    const reminders = plan({
      start: morning,
      now,
      policy: { offsets: ['PT10H', 'PT11H', 'PT3H'] },
    });
    expect(
      reminders.map((r) => [
        r.offset,
        r.status,
        r.skipReason ?? null,
        r.dueAt && local(r.dueAt, NY),
      ]),
    ).toEqual([
      ['PT10H', 'planned', null, '2026-05-11 20:59'],
      ['PT11H', 'skipped', 'duplicate', null],
      ['PT3H', 'skipped', 'duplicate', null], // 06:00 → 20:59 the evening before too
    ]);
  });

  it('refuses malformed zones and instants', () => {
    expect(() => plan({ start, now, clinicTimeZone: 'EST' })).toThrow(RangeError);
    expect(() => plan({ start: 'tomorrow', now })).toThrow(RangeError);
  });
});
