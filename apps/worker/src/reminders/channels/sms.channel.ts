import { type Env } from '@tautline/config';
import {
  type DeliveryReceipt,
  type MessageChannel,
  type OutboundMessage,
  PermanentDeliveryError,
  redactContact,
  TransientDeliveryError,
} from './message-channel';

export type SmsApiSettings = Pick<
  Env,
  'SMS_API_URL' | 'SMS_ACCOUNT_SID' | 'SMS_AUTH_TOKEN' | 'SMS_FROM' | 'MESSAGE_PROVIDER_TIMEOUT_MS'
>;

/** Answers that may succeed later; every other 4xx is the provider refusing this message. */
/** Timeouts, throttling, and refused credentials (our configuration, not the message): retry. */
const RETRYABLE_4XX = new Set([401, 403, 408, 429]);

/** SMS reminders through an HTTP API shaped like the mainstream ones (`POST …/Accounts/{sid}/Messages.json`). */
export class HttpSmsChannel implements MessageChannel {
  readonly channel = 'sms' as const;
  readonly transport = 'http' as const;
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(private readonly settings: SmsApiSettings) {
    const base = settings.SMS_API_URL.replace(/\/+$/, '');
    this.endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(settings.SMS_ACCOUNT_SID)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${settings.SMS_ACCOUNT_SID}:${settings.SMS_AUTH_TOKEN}`).toString('base64')}`;
  }

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    const timeout = this.settings.MESSAGE_PROVIDER_TIMEOUT_MS;
    let status: number;
    let payload: { sid?: unknown; code?: unknown; message?: unknown } | undefined;
    try {
      const res = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          // The provider sends a retried reminder once: a lost answer must not mean a second text.
          'idempotency-key': message.reminderId,
        },
        body: new URLSearchParams({
          To: message.to,
          From: this.settings.SMS_FROM,
          Body: message.text,
        }),
        signal: AbortSignal.timeout(timeout),
      });
      status = res.status;
      payload = (await res.json().catch(() => undefined)) as typeof payload;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError')
        throw new TransientDeliveryError(`sms provider timed out after ${timeout} ms`);
      throw new TransientDeliveryError(`sms provider unreachable: ${e.cause?.code ?? e.message}`);
    }

    if (status >= 200 && status < 300) {
      if (typeof payload?.sid === 'string' && payload.sid)
        return { providerMessageId: payload.sid };
      // Accepted without a readable id: a retry with the same key answers with the original.
      throw new TransientDeliveryError(`sms provider answered ${status} without a message sid`);
    }
    const said = [payload?.code, payload?.message].filter(
      (v) => typeof v === 'string' || typeof v === 'number',
    );
    const what = redactContact(
      `sms provider answered ${status}${said.length ? `: ${said.join(' ')}` : ''}`,
    );
    if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status))
      throw new PermanentDeliveryError(what);
    throw new TransientDeliveryError(what);
  }

  /** `GET …/Messages.json?IdempotencyKey=<id>`: what the provider sent under the row's key. */
  async lookup(reminderId: string): Promise<DeliveryReceipt | null> {
    const timeout = this.settings.MESSAGE_PROVIDER_TIMEOUT_MS;
    let payload: { messages?: { sid?: unknown }[] } | undefined;
    try {
      const res = await fetch(
        `${this.endpoint}?${new URLSearchParams({ IdempotencyKey: reminderId })}`,
        {
          headers: { authorization: this.authorization, accept: 'application/json' },
          signal: AbortSignal.timeout(timeout),
        },
      );
      if (res.status !== 200) throw new Error(`answered ${res.status}`);
      payload = (await res.json()) as typeof payload;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      throw new TransientDeliveryError(`sms provider lookup failed: ${e.cause?.code ?? e.message}`);
    }
    const sid = payload?.messages?.find((m) => typeof m.sid === 'string' && m.sid)?.sid;
    return typeof sid === 'string' ? { providerMessageId: sid } : null;
  }
}
