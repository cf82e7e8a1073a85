import {
  DEFAULT_REMINDER_POLICY,
  ReminderOffset,
  ReminderPolicy,
  reminderOffsetProblem,
  ReminderPolicyRequest,
  reminderPolicyProblem,
} from './reminder-policy.schemas';

describe('ReminderOffset', () => {
  it.each(['P1D', 'PT2H', 'PT30M', 'P1W', 'P4W', 'P30D', 'P1DT12H'])('accepts %s', (offset) => {
    expect(ReminderOffset.safeParse(offset).success).toBe(true);
  });

  it.each([
    ['1 day', 'ISO 8601'],
    ['P', 'longer than zero'],
    ['PT0S', 'longer than zero'],
    ['P0D', 'longer than zero'],
    ['P31D', 'at most P30D'],
    ['P5W', 'at most P30D'],
    ['P1M', 'not months or years'],
    ['P1Y', 'not months or years'],
    ['P1DT-1H', 'negative'],
    ['-P1D', ''],
  ])('refuses %s', (offset, message) => {
    expect(ReminderOffset.safeParse(offset).success).toBe(false);
    expect(reminderOffsetProblem(offset)).toContain(message);
  });
});

describe('ReminderPolicy', () => {
  it('defaults to P1D and PT2H, sms then email, quiet 21:00–08:00, 60 min cut-off, 2 min grace, en-GB, 24 h late-cancel', () => {
    expect(DEFAULT_REMINDER_POLICY).toEqual({
      offsets: ['P1D', 'PT2H'],
      channels: ['sms', 'email'],
      quietHours: { start: '21:00', end: '08:00' },
      minimumLeadMinutes: 60,
      changeGraceMinutes: 2,
      locale: 'en-GB',
      lateCancelHours: 24,
    });
  });

  it('accepts no quiet hours and a custom list', () => {
    const policy = ReminderPolicy.parse({
      offsets: ['PT3H'],
      channels: ['email'],
      quietHours: null,
      locale: 'en-US',
    });
    expect(policy.quietHours).toBeNull();
    expect(policy.channels).toEqual(['email']);
  });

  it.each([
    ['an empty offset list', { offsets: [] }],
    ['a repeated offset', { offsets: ['P1D', 'P1D'] }],
    ['a repeated channel', { channels: ['sms', 'sms'] }],
    ['an unknown channel', { channels: ['fax'] }],
    ['quiet hours with start = end', { quietHours: { start: '08:00', end: '08:00' } }],
    ['a malformed quiet time', { quietHours: { start: '9pm', end: '08:00' } }],
    ['a negative cut-off', { minimumLeadMinutes: -1 }],
    ['a fractional grace', { changeGraceMinutes: 1.5 }],
    ['an unknown locale', { locale: 'fr-FR' }],
  ])('refuses %s', (_what, input) => {
    expect(ReminderPolicy.safeParse(input).success).toBe(false);
  });
});

describe('ReminderPolicyRequest: a policy that can never send is refused', () => {
  it('refuses the old README recipe: PT55M inside the default 60-minute cut-off', () => {
    const r = ReminderPolicyRequest.safeParse({ offsets: ['PT55M'], changeGraceMinutes: 0 });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        path: ['offsets'],
        message: expect.stringContaining('every offset is shorter than minimumLeadMinutes (60)'),
      }),
    ]);
  });

  it('accepts a policy with at least one offset at or beyond its cut-off', () => {
    expect(
      ReminderPolicyRequest.safeParse({
        offsets: ['PT55M'],
        minimumLeadMinutes: 30,
        changeGraceMinutes: 0,
      }).success,
    ).toBe(true);
    expect(ReminderPolicyRequest.safeParse({ offsets: ['PT55M', 'PT2H'] }).success).toBe(true);
    expect(ReminderPolicyRequest.safeParse({ offsets: ['PT1H'] }).success).toBe(true);
    expect(ReminderPolicyRequest.safeParse({}).success).toBe(true);
  });

  it('is strict, while stored policies are still read leniently', () => {
    expect(ReminderPolicyRequest.safeParse({ offsets: ['P1D'], quietHour: null }).success).toBe(
      false,
    );
    expect(ReminderPolicy.parse({ offsets: ['PT55M'] }).offsets).toEqual(['PT55M']);
  });

  it('judges the recipe README gives now', () => {
    expect(reminderPolicyProblem({ offsets: ['PT55M'], minimumLeadMinutes: 30 })).toBeUndefined();
  });
});
