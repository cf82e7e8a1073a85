/**
 * What the sender may do with a row whose earlier attempt started a provider call and did not
 * record the outcome (the worker crashed, or the call timed out): the provider may have taken the
 * message. Sending again is safe only when the provider says it has no message under the row's
 * idempotency key, or when the call cannot have started.
 */
export interface PreviousAttempt {
  /** A provider call of an earlier attempt began (the row's `send_started_at`). */
  callStarted: boolean;
  /** The provider's id, when an earlier attempt got as far as storing it. */
  providerMessageId: string | null;
}

/** What the provider's lookup by idempotency key said: `unsupported` when the channel has none. */
export type ProviderLookup =
  | { kind: 'found'; providerMessageId: string }
  | { kind: 'not_found' }
  | { kind: 'unsupported' };

export type RecoveryDecision =
  /** The provider has it: record `sent`, send nothing. */
  | { action: 'mark_sent'; providerMessageId: string }
  /** Nothing reached the provider (or it says so): send, under the same idempotency key. */
  | { action: 'send' }
  /**
   * No way to know (a channel without lookup): send again under the same idempotency key
   * (email: the same Message-ID). The duplicate risk left is a crash between the provider's
   * acceptance and the write of `sent`, a window of one database round trip.
   */
  | { action: 'resend_unverified' };

export function decideRecovery(
  previous: PreviousAttempt,
  lookup: ProviderLookup,
): RecoveryDecision {
  if (previous.providerMessageId)
    return { action: 'mark_sent', providerMessageId: previous.providerMessageId };
  if (!previous.callStarted) return { action: 'send' };
  if (lookup.kind === 'found')
    return { action: 'mark_sent', providerMessageId: lookup.providerMessageId };
  if (lookup.kind === 'not_found') return { action: 'send' };
  return { action: 'resend_unverified' };
}

/** Whether the sender should ask the provider before sending this attempt. */
export const needsLookup = (previous: PreviousAttempt): boolean =>
  previous.callStarted && !previous.providerMessageId;
