import { type ReminderChannel } from '@tautline/domain';

export interface OutboundMessage {
  /** The reminder row id: passed to the provider as its idempotency key. */
  reminderId: string;
  organisationId: string;
  clinicId: string;
  channel: ReminderChannel;
  /** E.164 phone for sms, address for email. */
  to: string;
  /** Email only. */
  subject?: string;
  text: string;
}

export interface DeliveryReceipt {
  providerMessageId: string;
}

/** The provider refused the message for good (bad number, rejected address): do not retry. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** A transient failure (timeout, 5xx, connection refused): retry with backoff. */
export class TransientDeliveryError extends Error {
  override name = 'TransientDeliveryError';
}

/** One way reminders leave Tautline. Errors name what failed, never the message text or the destination. */
export interface MessageChannel {
  readonly channel: ReminderChannel;
  readonly transport: 'log' | 'smtp' | 'http';
  send(message: OutboundMessage): Promise<DeliveryReceipt>;
  /**
   * What the provider holds under an idempotency key (the row id): its receipt, or null when it
   * has nothing. Absent when the provider offers no lookup (SMTP). Throws TransientDeliveryError
   * when the provider cannot answer now.
   */
  lookup?(reminderId: string): Promise<DeliveryReceipt | null>;
}

/** Provider text can quote the destination back: keep addresses and phone numbers out of stored errors. */
export function redactContact(text: string, max = 300): string {
  return text
    .replace(/[^\s<>"',;:]+@[^\s<>"',;:]+/g, '[address]')
    .replace(/\+?\d(?:[ ().-]?\d){6,14}/g, '[number]')
    .slice(0, max);
}
