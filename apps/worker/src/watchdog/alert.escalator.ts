import { Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { ALERT_COLUMNS, type AlertRow, toAlert } from '@tautline/db';
import { clinicRoom, type SessionPlan, shouldEscalate } from '@tautline/domain';
import { type LiveEmitter } from '@tautline/queues';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, LIVE_EMITTER } from '../infrastructure/infrastructure.module';
import { createMessageChannels, type MessageChannels } from '../reminders/channels/channels.factory';
import { PermanentDeliveryError } from '../reminders/channels/message-channel';
import { thresholdsOf } from '../telemetry/live-session.context';
import { LiveUpdates } from '../telemetry/live-updates';
import { renderEscalation } from './escalation-message';
import { StaffNotificationStore } from './staff-notification.store';

const ALERT_COLUMNS_OF_A = ALERT_COLUMNS.split(',')
  .map((c) => `a.${c.trim()}`)
  .join(', ');

interface CandidateRow extends AlertRow {
  organisation_id: string;
  thresholds: unknown;
  plan: SessionPlan;
  clinic_name: string;
  clinic_zone: string;
  room_name: string;
}

/** A notification still `scheduled` this long after it was written is swept up (a crash, or a transient failure). */
const RETRY_AFTER_MS = 10_000;
const SWEEP_EVERY_MS = 15_000;
/** A notification that could not go out within this is given up (the alert itself stays on the board). */
const GIVE_UP_AFTER_MS = 3_600_000;

/**
 * Escalation: a critical alert still open (nobody acknowledged it, its condition has not cleared)
 * `escalateAfterSeconds` after it was raised is flagged once (conditional update), pushed as
 * `alert.escalated`, and the clinic's lead gets an email through the reminder channels. The flag
 * and the notification row are written in one transaction; sending happens after the commit and
 * is tracked by the row's status, so nothing is sent twice and a lost send is swept up later.
 */
@Injectable()
export class AlertEscalator {
  private readonly notifications: StaffNotificationStore;
  /** Only for the smtp transport; the log transport stores the body in the row and is done. */
  private readonly channels: MessageChannels | null;
  private readonly sending = new Set<Promise<void>>();
  private lastSweep = 0;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly updates: LiveUpdates,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('escalation');
    this.notifications = new StaffNotificationStore(db);
    this.channels = env.EMAIL_TRANSPORT === 'smtp' ? createMessageChannels(env, db) : null;
  }

  /** One watchdog tick's worth: escalate what is due, and now and then retry notifications left behind. */
  async run(now = Date.now()): Promise<number> {
    const candidates = (await this.db.query(
      `SELECT ${ALERT_COLUMNS_OF_A}, a.organisation_id, s.thresholds, s.plan,
              c.name AS clinic_name, c.time_zone AS clinic_zone, r.name AS room_name
         FROM alerts a
         JOIN treatment_sessions s ON s.id = a.session_id
         JOIN clinics c ON c.id = a.clinic_id
         JOIN rooms r ON r.id = a.room_id
        WHERE a.status = 'open' AND a.severity = 'critical' AND a.escalated_at IS NULL`,
    )) as CandidateRow[];
    let escalated = 0;
    for (const row of candidates) {
      if (!shouldEscalate(toAlert(row), now, thresholdsOf(row.thresholds))) continue;
      if (await this.escalate(row)) escalated += 1;
    }
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      for (const id of await this.notifications.pending(RETRY_AFTER_MS)) this.deliverLater(id);
    }
    return escalated;
  }

  private async escalate(row: CandidateRow): Promise<boolean> {
    const thresholds = thresholdsOf(row.thresholds);
    const outcome = await this.db.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `UPDATE alerts SET escalated_at = now() WHERE id = $1 AND escalated_at IS NULL AND status = 'open' RETURNING ${ALERT_COLUMNS}`,
        [row.id],
      )) as [AlertRow[], number];
      const [updated] = rows;
      if (!updated) return null;
      const alert = toAlert(updated);
      const recipient = await this.notifications.recipient(tx, alert.clinicId);
      if (!recipient) return { alert, notificationId: null };
      const message = renderEscalation({
        alert,
        clinicName: row.clinic_name,
        clinicZone: row.clinic_zone,
        roomName: row.room_name,
        plan: row.plan,
        escalateAfterSeconds: thresholds.escalateAfterSeconds,
        publicUrl: this.env.PUBLIC_URL,
      });
      const notificationId = await this.notifications.create(tx, {
        organisationId: row.organisation_id,
        clinicId: alert.clinicId,
        alertId: alert.id,
        userId: recipient.id,
        destination: recipient.email,
        ...message,
      });
      return { alert, notificationId };
    });
    if (!outcome) return false;
    const { alert, notificationId } = outcome;
    this.live.to(clinicRoom(alert.clinicId)).emit('alert.escalated', { alert });
    this.updates.markDirty(alert.sessionId, row.organisation_id);
    this.logger.warn({ event: 'alert.escalated', alertId: alert.id, sessionId: alert.sessionId, notificationId }, 'alert escalated');
    if (notificationId) this.deliverLater(notificationId);
    else this.logger.warn({ event: 'escalation.no_recipient', alertId: alert.id, clinicId: alert.clinicId }, 'clinic has no lead or supervisor to notify');
    return true;
  }

  /** Sends without holding up the tick (an SMTP relay may take seconds); shutdown waits for it. */
  private deliverLater(id: string): void {
    const sending = this.deliver(id)
      .catch((err: unknown) => this.logger.warn({ event: 'staff_notification.error', notificationId: id, err: (err as Error).name }, 'notification not sent'))
      .finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  private async deliver(id: string): Promise<void> {
    const n = await this.notifications.claim(id);
    if (!n) return;
    try {
      const providerMessageId = this.channels
        ? (
            await this.channels.email.send({
              // The notification id is the idempotency key (the Message-ID) of the email.
              reminderId: n.id,
              organisationId: n.organisation_id,
              clinicId: n.clinic_id,
              channel: 'email',
              to: n.destination,
              subject: n.subject,
              text: n.body,
            })
          ).providerMessageId
        : `log-${n.id}`;
      await this.notifications.markSent(n.id, providerMessageId);
      this.logger.info({ event: 'staff_notification.sent', notificationId: n.id }, 'escalation notification sent');
    } catch (err) {
      const error = `${(err as Error).name}: ${(err as Error).message}`;
      const giveUp = err instanceof PermanentDeliveryError || Date.now() - n.created_at.getTime() > GIVE_UP_AFTER_MS;
      if (giveUp) await this.notifications.markFailed(n.id, error);
      else await this.notifications.release(n.id, error);
      this.logger.warn({ event: giveUp ? 'staff_notification.failed' : 'staff_notification.retry', notificationId: n.id, err: (err as Error).name }, 'escalation notification not sent');
    }
  }

  /** Waits for sends in flight, then closes the SMTP transport. */
  async drain(): Promise<void> {
    await Promise.all([...this.sending]);
    await this.channels?.close();
  }
}
