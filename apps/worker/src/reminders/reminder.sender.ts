import { type Env } from '@tautline/config';
import { decideReminderSend, DEFAULT_REMINDER_POLICY, ReminderLocale } from '@tautline/domain';
import { UnrecoverableError } from 'bullmq';
import { type PinoLogger } from 'nestjs-pino';
import { type DataSource } from 'typeorm';
import { type MessageChannel, PermanentDeliveryError } from './channels/message-channel';
import { ReminderMessages } from './reminder-message';
import { ReminderStore } from './reminder.store';

export type SendOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'not_pending'; status: string | null };

/** Thrown so BullMQ retries with backoff: the row is held by another worker, or the provider failed for now. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

export interface SendAttempt {
  reminderId: string;
  /** No retry follows this one: a transient failure becomes `failed`. */
  lastAttempt: boolean;
}

/**
 * Sends one outbox row exactly once: claim it (conditional update), re-read the appointment and
 * patient and decide, send with the row id as the provider's idempotency key, record the result
 * (conditional again). A crash after the provider accepted and before `sent` is written leaves a
 * `sending` row whose lease runs out; the retry sends again with the same idempotency key, which
 * the provider (and, for email, the Message-ID) de-duplicates.
 */
export class ReminderSender {
  private readonly store: ReminderStore;
  private readonly messages: ReminderMessages;

  constructor(
    private readonly env: Env,
    db: DataSource,
    private readonly channels: Record<'sms' | 'email', MessageChannel>,
    private readonly logger: PinoLogger,
  ) {
    this.store = new ReminderStore(db);
    this.messages = new ReminderMessages(env.JWT_SECRET, env.PUBLIC_URL);
  }

  async send({ reminderId, lastAttempt }: SendAttempt): Promise<SendOutcome> {
    const claim = await this.store.claim(reminderId, this.env.REMINDER_LEASE_MS);
    if (!claim.claimed) {
      if (claim.held) throw new RetryLater('another worker is sending this reminder');
      return { outcome: 'not_pending', status: claim.status };
    }
    const r = claim.reminder;
    const decision = decideReminderSend({
      reminder: {
        purpose: r.purpose,
        channel: r.channel,
        appointmentStartsAt: r.appointment_starts_at.toISOString(),
      },
      appointment: { status: r.appointment_status, start: r.starts_at.toISOString() },
      patient: {
        phone: r.phone,
        email: r.email,
        smsOptedOut: r.sms_opted_out_at !== null,
        emailOptedOut: r.email_opted_out_at !== null,
      },
      now: new Date().toISOString(),
    });
    if (!decision.send) {
      await this.store.markSkipped(r.id, decision.reason);
      this.logger.info(
        { event: 'reminder.skipped', reminderId: r.id, reason: decision.reason },
        'reminder skipped',
      );
      return { outcome: 'skipped', reason: decision.reason };
    }
    // Stored policies were validated on write; a locale added since falls back to the default.
    const locale = ReminderLocale.safeParse(r.policy_locale).data ?? DEFAULT_REMINDER_POLICY.locale;
    const message = this.messages.render(r, locale);
    try {
      const receipt = await this.channels[r.channel].send({
        reminderId: r.id,
        organisationId: r.organisation_id,
        clinicId: r.clinic_id,
        channel: r.channel,
        to: decision.to,
        ...message,
      });
      await this.store.markSent(r.id, decision.to, receipt.providerMessageId);
      this.logger.info(
        { event: 'reminder.sent', reminderId: r.id, channel: r.channel, attempt: r.attempts },
        'reminder sent',
      );
      return { outcome: 'sent', providerMessageId: receipt.providerMessageId };
    } catch (err) {
      return this.failed(r.id, err as Error, lastAttempt);
    }
  }

  private async failed(id: string, err: Error, lastAttempt: boolean): Promise<never> {
    // Provider errors carry codes and statuses only, never the text or the number.
    const error = `${err.name}: ${err.message}`;
    if (err instanceof PermanentDeliveryError) {
      await this.store.markFailed(id, 'provider_rejected', error);
      this.logger.warn(
        { event: 'reminder.failed', reminderId: id, reason: 'provider_rejected' },
        'reminder refused by provider',
      );
      throw new UnrecoverableError(error);
    }
    if (lastAttempt) {
      await this.store.markFailed(id, 'retries_exhausted', error);
      this.logger.warn(
        { event: 'reminder.failed', reminderId: id, reason: 'retries_exhausted' },
        'reminder failed for good',
      );
      throw new UnrecoverableError(error);
    }
    await this.store.release(id, error);
    this.logger.warn(
      { event: 'reminder.retry', reminderId: id, err: err.name },
      'reminder send failed; will retry',
    );
    throw new RetryLater(error);
  }
}
