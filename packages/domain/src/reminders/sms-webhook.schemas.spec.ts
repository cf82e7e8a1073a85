import {
  canRequestReschedule,
  InboundSmsAnswer,
  InboundSmsWebhook,
  PatientMessages,
  SMS_KEYWORDS,
  smsConfirmDecision,
} from './sms-webhook.schemas';
import { parseSmsKeyword } from './sms-keywords';

const valid = {
  messageId: 'SM0123456789abcdef',
  from: '+447700900101',
  to: '+447700900000',
  text: 'C',
};

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));

describe('InboundSmsWebhook', () => {
  it('accepts a provider payload, with or without receivedAt, and drops extra fields', () => {
    expect(InboundSmsWebhook.parse(valid)).toEqual(valid);
    const at = { ...valid, receivedAt: '2026-03-08T09:00:00Z', accountSid: 'AC1' };
    expect(InboundSmsWebhook.parse(at)).toEqual({ ...valid, receivedAt: '2026-03-08T09:00:00Z' });
    expect(InboundSmsWebhook.parse({ ...valid, text: '' }).text).toBe('');
    expect(InboundSmsWebhook.parse({ ...valid, text: 'x'.repeat(1600) }).text).toHaveLength(1600);
    expect(
      InboundSmsWebhook.parse({ ...valid, messageId: 'm'.repeat(200) }).messageId,
    ).toHaveLength(200);
  });

  it.each([
    [{ messageId: '' }, 'messageId'],
    [{ messageId: 'm'.repeat(201) }, 'messageId'],
    [{ messageId: 'a\nb' }, 'messageId'],
    [{ messageId: 42 }, 'messageId'],
    [{ from: '07700900101' }, 'from'],
    [{ from: '+44 7700 900101' }, 'from'],
    [{ from: '+0123456789' }, 'from'],
    [{ from: '+1234567890123456' }, 'from'],
    [{ to: 'tautline' }, 'to'],
    [{ text: 'x'.repeat(1601) }, 'text'],
    [{ text: 'st\u0000op' }, 'text'],
    [{ text: null }, 'text'],
    [{ receivedAt: 'yesterday' }, 'receivedAt'],
    [{ receivedAt: '2026-03-08T09:00:00' }, 'receivedAt'],
  ])('refuses %j naming %s', (change, field) => {
    expect(fieldsOf(InboundSmsWebhook.safeParse({ ...valid, ...change }))).toEqual([field]);
  });

  it('names every missing field', () => {
    expect(fieldsOf(InboundSmsWebhook.safeParse({})).sort()).toEqual([
      'from',
      'messageId',
      'text',
      'to',
    ]);
    expect(InboundSmsWebhook.safeParse([valid]).success).toBe(false);
  });
});

describe('answers', () => {
  it('covers every keyword the parser can return', () => {
    for (const text of ['C', 'R', 'STOP', 'START', 'HELP', 'hello'])
      expect(SMS_KEYWORDS).toContain(parseSmsKeyword(text));
  });

  it('validates the webhook answer and the patient messages view', () => {
    expect(InboundSmsAnswer.parse({ outcome: 'opted_out', keyword: 'opt_out' })).toBeTruthy();
    expect(InboundSmsAnswer.safeParse({ outcome: 'done', keyword: 'opt_out' }).success).toBe(false);
    const reply = {
      id: '7d0c7bb9-0e9f-4a44-9f65-3c51b1a8b0a1',
      receivedAt: '2026-03-08T09:00:00.000Z',
      keyword: 'confirm',
      outcome: 'confirmed',
      text: 'C',
      appointmentId: '0b8c1a4e-2f0b-4f52-8d39-8b1f5f3f9c11',
    };
    expect(
      PatientMessages.parse({ smsOptedOutAt: null, emailOptedOutAt: null, replies: [reply] })
        .replies,
    ).toHaveLength(1);
    expect(
      PatientMessages.safeParse({
        smsOptedOutAt: null,
        emailOptedOutAt: null,
        replies: Array(101).fill(reply),
      }).success,
    ).toBe(false);
  });
});

describe('smsConfirmDecision / canRequestReschedule', () => {
  const now = '2026-03-08T09:00:00.000Z';
  const later = '2026-03-09T09:00:00.000Z';
  const earlier = '2026-03-07T09:00:00.000Z';

  it('confirms a booked future appointment, keeps a confirmed one, refuses the rest', () => {
    expect(smsConfirmDecision({ status: 'booked', start: later }, now)).toBe('confirm');
    expect(smsConfirmDecision({ status: 'confirmed', start: later }, now)).toBe(
      'already_confirmed',
    );
    for (const status of ['cancelled', 'checked_in', 'in_session', 'completed', 'no_show'] as const)
      expect(smsConfirmDecision({ status, start: later }, now)).toBe('not_confirmable');
    expect(smsConfirmDecision({ status: 'booked', start: earlier }, now)).toBe('not_confirmable');
    expect(smsConfirmDecision({ status: 'booked', start: now }, now)).toBe('not_confirmable');
    expect(smsConfirmDecision({ status: 'confirmed', start: earlier }, now)).toBe(
      'not_confirmable',
    );
  });

  it('lets a patient ask to reschedule an open appointment before it starts', () => {
    expect(canRequestReschedule({ status: 'booked', start: later }, now)).toBe(true);
    expect(canRequestReschedule({ status: 'confirmed', start: later }, now)).toBe(true);
    expect(canRequestReschedule({ status: 'cancelled', start: later }, now)).toBe(false);
    expect(canRequestReschedule({ status: 'checked_in', start: later }, now)).toBe(false);
    expect(canRequestReschedule({ status: 'booked', start: earlier }, now)).toBe(false);
  });
});
