import { decideRecovery, needsLookup } from './outbox-recovery';

describe('decideRecovery (a row an earlier attempt left without an outcome)', () => {
  const started = { callStarted: true, providerMessageId: null };

  it('never sends again what the provider says it has', () => {
    expect(decideRecovery(started, { kind: 'found', providerMessageId: 'SM1' })).toEqual({
      action: 'mark_sent',
      providerMessageId: 'SM1',
    });
  });

  it('records a stored provider id as sent without asking', () => {
    const previous = { callStarted: true, providerMessageId: 'SM2' };
    expect(needsLookup(previous)).toBe(false);
    expect(decideRecovery(previous, { kind: 'unsupported' })).toEqual({
      action: 'mark_sent',
      providerMessageId: 'SM2',
    });
  });

  it('sends when the provider has nothing under the key, or no call ever started', () => {
    expect(decideRecovery(started, { kind: 'not_found' })).toEqual({ action: 'send' });
    const never = { callStarted: false, providerMessageId: null };
    expect(needsLookup(never)).toBe(false);
    expect(decideRecovery(never, { kind: 'unsupported' })).toEqual({ action: 'send' });
  });

  it('says so when it cannot know (no lookup on the channel)', () => {
    expect(needsLookup(started)).toBe(true);
    expect(decideRecovery(started, { kind: 'unsupported' })).toEqual({
      action: 'resend_unverified',
    });
  });
});
