import { Inject, Injectable } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { ALERT_COLUMNS, alertColumns, type AlertRow, toAlert } from '@tautline/db';
import { clinicRoom, type SessionPlan, shouldEscalate } from '@tautline/domain';
import { type LiveEmitter } from '@tautline/queues';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, ENV, LIVE_EMITTER } from '../infrastructure/infrastructure.module';
import { OutboxDispatcher } from '../reminders/outbox.dispatcher';
import { thresholdsOf } from '../telemetry/live-session.context';
import { LiveUpdates } from '../telemetry/live-updates';
import { escalationRecipient, insertEscalationMessage } from './escalation-outbox';
import { renderEscalation } from './escalation-message';

interface CandidateRow extends AlertRow {
  organisation_id: string;
  thresholds: unknown;
  plan: SessionPlan;
  /** The clinic's and room's names now (the alert's own are snapshots from its raise). */
  current_clinic_name: string;
  clinic_zone: string;
  current_room_name: string;
}

/**
 * Escalation: a critical alert nobody acknowledged (open, or latched: its condition cleared but it
 * still sounds) `escalateAfterSeconds` after it was raised is flagged once (conditional update), pushed as
 * `alert.escalated`, and the clinic's lead gets an email. The flag and the email's outbox row are
 * written in one transaction; the reminder sender sends the row like any other outbound message
 * (one outbox, one sender, one SMTP transport), and the reconciler queues it if its job is lost.
 */
@Injectable()
export class AlertEscalator {
  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly updates: LiveUpdates,
    private readonly outbox: OutboxDispatcher,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('escalation');
  }

  /** One watchdog tick's worth: escalate what is due. */
  async run(now = Date.now()): Promise<number> {
    const candidates = (await this.db.query(
      `SELECT ${alertColumns('a')}, a.organisation_id, s.thresholds, s.plan,
              c.name AS current_clinic_name, c.time_zone AS clinic_zone, r.name AS current_room_name
         FROM alerts a
         JOIN treatment_sessions s ON s.id = a.session_id
         JOIN clinics c ON c.id = a.clinic_id
         JOIN rooms r ON r.id = a.room_id
        WHERE a.status IN ('open', 'latched') AND a.severity = 'critical' AND a.escalated_at IS NULL`,
    )) as CandidateRow[];
    let escalated = 0;
    for (const row of candidates) {
      if (!shouldEscalate(toAlert(row), now, thresholdsOf(row.thresholds))) continue;
      if (await this.escalate(row)) escalated += 1;
    }
    return escalated;
  }

  private async escalate(row: CandidateRow): Promise<boolean> {
    const thresholds = thresholdsOf(row.thresholds);
    const outcome = await this.db.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `UPDATE alerts SET escalated_at = now()
          WHERE id = $1 AND escalated_at IS NULL AND status IN ('open', 'latched') RETURNING ${ALERT_COLUMNS}`,
        [row.id],
      )) as [AlertRow[], number];
      const [updated] = rows;
      if (!updated) return null;
      const alert = toAlert(updated);
      const recipient = await escalationRecipient(tx, alert.clinicId);
      if (!recipient) return { alert, message: null };
      const rendered = renderEscalation({
        alert,
        clinicName: row.current_clinic_name,
        clinicZone: row.clinic_zone,
        roomName: row.current_room_name,
        plan: row.plan,
        escalateAfterSeconds: thresholds.escalateAfterSeconds,
        publicUrl: this.env.PUBLIC_URL,
      });
      const message = await insertEscalationMessage(tx, {
        organisationId: row.organisation_id,
        clinicId: alert.clinicId,
        alertId: alert.id,
        recipient,
        subject: rendered.subject,
        body: rendered.body,
      });
      return { alert, message };
    });
    if (!outcome) return false;
    const { alert, message } = outcome;
    this.live.to(clinicRoom(alert.clinicId)).emit('alert.escalated', { alert });
    if (alert.sessionId) this.updates.markDirty(alert.sessionId, row.organisation_id);
    this.logger.warn(
      {
        event: 'alert.escalated',
        alertId: alert.id,
        sessionId: alert.sessionId,
        outboxId: message?.id ?? null,
      },
      'alert escalated',
    );
    if (message) await this.outbox.dispatch([message]);
    else
      this.logger.warn(
        { event: 'escalation.no_recipient', alertId: alert.id, clinicId: alert.clinicId },
        'clinic has no lead or supervisor to notify',
      );
    return true;
  }

  /** Nothing in flight here any more: the reminder worker sends, and waits for its sends on shutdown. */
  drain(): Promise<void> {
    return Promise.resolve();
  }
}
