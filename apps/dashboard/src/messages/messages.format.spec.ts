import { REMINDER_STATUSES } from '@tautline/domain';
import {
  channelWords,
  messageTime,
  offsetWords,
  reminderOutcome,
  reminderReasonWords,
  reminderStatusWords,
} from './messages.format';

describe('reminder reasons in words', () => {
  it.each([
    ['in_past', 'its time had already passed when it was planned'],
    ['after_appointment', 'it would have been due after the appointment'],
    ['within_cutoff', 'it would have been due too close to the appointment'],
    ['opted_out', 'the patient opted out of these messages'],
    ['no_channel', 'the patient has no phone number or email address we may use'],
    ['duplicate', 'another reminder was already due at the same time'],
    ['rescheduled', 'the appointment was moved'],
    ['appointment_cancelled', 'the appointment was cancelled'],
    ['appointment_no_show', 'the patient was marked as not attending'],
    ['too_late', 'the appointment had already started when it was due to go'],
    ['missed', 'it was not sent in time and would have arrived too late'],
    ['provider_rejected', 'the message provider refused it'],
    ['retries_exhausted', 'the message provider could not be reached after several tries'],
  ])('%s → %s', (code, words) => {
    expect(reminderReasonWords(code)).toBe(words);
  });

  it('keeps an unknown code readable and has nothing to say without one', () => {
    expect(reminderReasonWords('carrier_blocked')).toBe('reason “carrier blocked”');
    expect(reminderReasonWords(null)).toBeNull();
    expect(reminderReasonWords('')).toBeNull();
  });

  it('puts the status and the reason in one sentence', () => {
    expect(reminderOutcome({ status: 'skipped', reason: 'rescheduled' })).toBe(
      'Skipped: the appointment was moved',
    );
    expect(reminderOutcome({ status: 'cancelled', reason: 'opted_out' })).toBe(
      'Cancelled: the patient opted out of these messages',
    );
    expect(reminderOutcome({ status: 'failed', reason: 'provider_rejected' })).toBe(
      'Failed: the message provider refused it',
    );
    expect(reminderOutcome({ status: 'sent', reason: null })).toBe('Sent');
    expect(REMINDER_STATUSES.map(reminderStatusWords)).toEqual([
      'Planned',
      'Sending',
      'Sent',
      'Failed',
      'Skipped',
      'Cancelled',
    ]);
  });

  it('writes offsets, channels and times in words', () => {
    expect(offsetWords('P1D')).toBe('1 day before');
    expect(offsetWords('PT2H')).toBe('2 hours before');
    expect(offsetWords('PT1H30M')).toBe('1 hour 30 minutes before');
    expect(offsetWords(null)).toBe('Not a scheduled reminder');
    expect(channelWords('sms')).toBe('Text message');
    expect(channelWords(null)).toBe('No channel');
    expect(messageTime('2030-03-12T13:00:00.000Z', 'America/New_York')).toBe(
      'Tue 12 Mar 2030, 09:00 EDT',
    );
  });
});
