import { type Env, sendLockWaitMs } from '@tautline/config';
import { lockAppointmentForSend, unlockAppointmentSends } from '@tautline/db';
import {
  decideRecovery,
  needsLookup,
  type OutboxPurpose,
  type ProviderLookup,
} from '@tautline/domain';
import { UnrecoverableError } from 'bullmq';
import { type PinoLogger } from 'nestjs-pino';
import { type DataSource, type QueryRunner } from 'typeorm';
import { type MessageChannel, PermanentDeliveryError } from './channels/message-channel';
import { ReminderMessages } from './reminder-message';
import { destinationOf, outboxPurposes, type PurposeHandler } from './outbox-purposes';
import { type ClaimedMessage, ReminderStore } from './reminder.store';

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
 * Sends one outbox row at most once. On a connection of its own it takes the appointment's send
 * lock (see `lockAppointmentForSend`), claims the row (conditional update), re-reads appointment
 * and patient and decides, records that the provider call starts, calls the provider with the row
 * id as idempotency key, records `sent`, and only then lets go of the lock: a cancel or move
 * either committed before the last look, or waits for the send and sees it `sent`.
 * A row an earlier attempt left mid-call (a crash, a timeout) is first checked with the provider
 * (`decideRecovery`), so a provider that ignores idempotency keys still gets one message.
 */
export class ReminderSender {
  private readonly purposes: Record<OutboxPurpose, PurposeHandler>;
  /** How long to wait for a change of the appointment (or its other reminder's send) to finish. */
  private readonly lockWaitMs: number;

  constructor(
    private readonly env: Env,
    private readonly db: DataSource,
    private readonly channels: Record<'sms' | 'email', MessageChannel>,
    private readonly logger: PinoLogger,
  ) {
    this.purposes = outboxPurposes(new ReminderMessages(env.JWT_SECRET, env.PUBLIC_URL));
    this.lockWaitMs = sendLockWaitMs(env);
  }

  async send(attempt: SendAttempt): Promise<SendOutcome> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let broken: unknown;
    try {
      const store = new ReminderStore(runner);
      const target = await store.target(attempt.reminderId);
      if (!target || (target.status !== 'scheduled' && target.status !== 'sending'))
        return { outcome: 'not_pending', status: target?.status ?? null };
      if (!target.appointment_id) return await this.sendClaimed(store, attempt);
      try {
        await lockAppointmentForSend(runner, target.appointment_id, this.lockWaitMs);
      } catch (err) {
        throw new RetryLater(`appointment busy: ${(err as Error).message}`);
      }
      try {
        return await this.sendClaimed(store, attempt);
      } finally {
        await unlockAppointmentSends(runner, target.appointment_id).catch(
          (err: unknown) => (broken = err),
        );
      }
    } finally {
      // A connection that could not let go of its lock must not go back to the pool holding it.
      if (broken)
        await (
          runner as QueryRunner & { releasePostgresConnection(err: unknown): Promise<void> }
        ).releasePostgresConnection(broken);
      else await runner.release();
    }
  }

  private async sendClaimed(
    store: ReminderStore,
    { reminderId, lastAttempt }: SendAttempt,
  ): Promise<SendOutcome> {
    const claim = await store.claim(reminderId, this.env.REMINDER_LEASE_MS);
    if (!claim.claimed) {
      if (claim.held) throw new RetryLater('another worker is sending this reminder');
      return { outcome: 'not_pending', status: claim.status };
    }
    const r = claim.reminder;
    const channel = this.channels[r.channel];
    // A fresh job (the reconciler's) for a row whose attempts are used up: no attempt beyond them.
    const last = lastAttempt || r.attempts >= this.env.REMINDER_SEND_ATTEMPTS;
    try {
      const recovered = await this.recover(store, r, channel);
      if (recovered) return recovered;
    } catch (err) {
      return this.failed(store, r.id, err as Error, last);
    }
    if (r.attempts > this.env.REMINDER_SEND_ATTEMPTS) {
      // Without a lookup, a cut-off call may have gone out: say so rather than "not sent".
      const reason = r.send_started_at && !channel.lookup ? 'outcome_unknown' : 'retries_exhausted';
      await store.markFailed(r.id, reason, 'no attempt left after the last one was cut off');
      this.logger.warn(
        { event: 'reminder.failed', reminderId: r.id, reason },
        'reminder failed for good',
      );
      throw new UnrecoverableError(reason);
    }
    const prepared = this.purposes[r.purpose](r, new Date());
    if (!prepared.send) {
      await store.markSkipped(r.id, prepared.reason);
      this.logger.info(
        {
          event: 'reminder.skipped',
          reminderId: r.id,
          purpose: r.purpose,
          reason: prepared.reason,
        },
        'reminder skipped',
      );
      return { outcome: 'skipped', reason: prepared.reason };
    }
    const { to, subject, text } = prepared;
    await store.markCallStarted(r.id);
    try {
      const receipt = await channel.send({
        reminderId: r.id,
        organisationId: r.organisation_id,
        clinicId: r.clinic_id,
        channel: r.channel,
        to,
        subject,
        text,
      });
      await store.markSent(r.id, to, receipt.providerMessageId);
      this.logger.info(
        {
          event: 'reminder.sent',
          reminderId: r.id,
          purpose: r.purpose,
          channel: r.channel,
          attempt: r.attempts,
        },
        'reminder sent',
      );
      return { outcome: 'sent', providerMessageId: receipt.providerMessageId };
    } catch (err) {
      return this.failed(store, r.id, err as Error, last);
    }
  }

  /** An earlier attempt may have reached the provider: ask it before sending again. */
  private async recover(
    store: ReminderStore,
    r: ClaimedMessage,
    channel: MessageChannel,
  ): Promise<SendOutcome | null> {
    const previous = {
      callStarted: r.send_started_at !== null,
      providerMessageId: r.provider_message_id,
    };
    if (!needsLookup(previous)) return null;
    const found = channel.lookup ? await channel.lookup(r.id) : undefined;
    const lookup: ProviderLookup =
      found === undefined
        ? { kind: 'unsupported' }
        : found
          ? { kind: 'found', providerMessageId: found.providerMessageId }
          : { kind: 'not_found' };
    const decision = decideRecovery(previous, lookup);
    this.logger.info(
      {
        event: 'reminder.recovery',
        reminderId: r.id,
        lookup: lookup.kind,
        action: decision.action,
      },
      'checked an earlier attempt',
    );
    if (decision.action !== 'mark_sent') return null;
    await store.markSent(r.id, destinationOf(r), decision.providerMessageId);
    return { outcome: 'sent', providerMessageId: decision.providerMessageId };
  }

  private async failed(
    store: ReminderStore,
    id: string,
    err: Error,
    lastAttempt: boolean,
  ): Promise<never> {
    // Provider errors carry codes and statuses only, never the text or the number.
    const error = `${err.name}: ${err.message}`;
    if (err instanceof PermanentDeliveryError) {
      await store.markFailed(id, 'provider_rejected', error);
      this.logger.warn(
        { event: 'reminder.failed', reminderId: id, reason: 'provider_rejected' },
        'reminder refused by provider',
      );
      throw new UnrecoverableError(error);
    }
    if (lastAttempt) {
      await store.markFailed(id, 'retries_exhausted', error);
      this.logger.warn(
        { event: 'reminder.failed', reminderId: id, reason: 'retries_exhausted' },
        'reminder failed for good',
      );
      throw new UnrecoverableError(error);
    }
    await store.release(id, error);
    this.logger.warn(
      { event: 'reminder.retry', reminderId: id, err: err.name },
      'reminder send failed; will retry',
    );
    throw new RetryLater(error);
  }
}
