import { Inject, Injectable } from '@nestjs/common';
import { ALERT_COLUMNS, type AlertRow, toAlert } from '@tautline/db';
import {
  type Alert,
  type AlertDraft,
  type AlertKey,
  type AlertResolution,
  clinicRoom,
  type SafetyOutcome,
  type SafetyState,
} from '@tautline/domain';
import { type LiveEmitter } from '@tautline/queues';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, LIVE_EMITTER } from '../infrastructure/infrastructure.module';
import { type LiveSessionContext } from './live-session.context';

export type AlertChange =
  | { type: 'raise'; draft: AlertDraft }
  | { type: 'resolve'; resolution: AlertResolution };

export interface RecordedAlerts {
  raised: Alert[];
  resolved: Alert[];
}

/**
 * The rules' raises and resolutions in the order they happened. Per alert key they alternate
 * (a key is raised only while closed, resolved only while open), starting from whether the key
 * was open before, so a condition that raised, cleared and raised again within one batch is
 * applied in that order; across keys, by time (a stable sort keeps each key's own order).
 */
export function orderedChanges(
  before: SafetyState,
  outcome: Pick<SafetyOutcome, 'raised' | 'resolved'>,
): AlertChange[] {
  const keys = new Set<AlertKey>([
    ...outcome.raised.map((r) => r.key),
    ...outcome.resolved.map((r) => r.key),
  ]);
  const changes: { change: AlertChange; at: number }[] = [];
  for (const key of keys) {
    const raises = outcome.raised.filter((r) => r.key === key);
    const resolves = outcome.resolved.filter((r) => r.key === key);
    let open = before.open[key] !== undefined;
    while (raises.length > 0 || resolves.length > 0) {
      const resolve = (open && resolves.length > 0) || raises.length === 0;
      if (resolve) {
        const resolution = resolves.shift()!;
        changes.push({ change: { type: 'resolve', resolution }, at: Date.parse(resolution.at) });
      } else {
        const draft = raises.shift()!;
        changes.push({ change: { type: 'raise', draft }, at: Date.parse(draft.at) });
      }
      open = !resolve;
    }
  }
  return changes.sort((a, b) => a.at - b.at).map((c) => c.change);
}

/**
 * Writes what the safety rules decided and tells the clinic's room at once (alerts are never
 * coalesced). Idempotent, so a retried job or a second worker never doubles an alert:
 * - a raise inserts only while the session is live (read `FOR SHARE`, so a stop committing at
 *   the same moment either sees the new alert and resolves it, or the insert sees the stop), only
 *   if no unresolved alert of the key exists (`ON CONFLICT` on the partial unique index
 *   `alerts_one_open`), and only if this very raise (same key and instant) was not stored before;
 * - a resolution is a conditional update of the unresolved alert of the key.
 * An event is emitted only for a row this call changed.
 */
@Injectable()
export class AlertRecorder {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('alerts');
  }

  async record(
    session: LiveSessionContext,
    before: SafetyState,
    outcome: Pick<SafetyOutcome, 'raised' | 'resolved'>,
  ): Promise<RecordedAlerts> {
    const recorded: RecordedAlerts = { raised: [], resolved: [] };
    for (const change of orderedChanges(before, outcome)) {
      if (change.type === 'raise') {
        const alert = await this.raise(session.sessionId, change.draft);
        if (!alert) continue;
        recorded.raised.push(alert);
        this.live.to(clinicRoom(alert.clinicId)).emit('alert.raised', { alert });
        this.logger.info(
          {
            event: 'alert.raised',
            alertId: alert.id,
            sessionId: alert.sessionId,
            kind: alert.kind,
            channel: alert.channel,
            severity: alert.severity,
          },
          'alert raised',
        );
      } else {
        const alert = await this.resolve(session.sessionId, change.resolution);
        if (!alert) continue;
        recorded.resolved.push(alert);
        this.live.to(clinicRoom(alert.clinicId)).emit('alert.updated', { alert });
        this.logger.info(
          {
            event: 'alert.resolved',
            alertId: alert.id,
            sessionId: alert.sessionId,
            kind: alert.kind,
            channel: alert.channel,
          },
          'alert resolved',
        );
      }
    }
    return recorded;
  }

  private async raise(sessionId: string, d: AlertDraft): Promise<Alert | null> {
    const rows = (await this.db.query(
      `WITH live AS (
         SELECT id, organisation_id, clinic_id, room_id FROM treatment_sessions
          WHERE id = $1 AND status IN ('running', 'paused') FOR SHARE)
       INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, muscle, message, value, "limit", raised_at)
       SELECT live.organisation_id, live.clinic_id, live.room_id, live.id, $2, $3, $4::int, $5, $6, $7::float8, $8::float8, $9::timestamptz
         FROM live
        WHERE NOT EXISTS (
          SELECT 1 FROM alerts a
           WHERE a.clinic_id = live.clinic_id AND a.raised_at = $9::timestamptz AND a.session_id = live.id
             AND a.kind = $2 AND a.channel IS NOT DISTINCT FROM $4::int)
       ON CONFLICT (session_id, kind, (coalesce(channel, 0))) WHERE status <> 'resolved' DO NOTHING
       RETURNING ${ALERT_COLUMNS}`,
      [
        sessionId,
        d.kind,
        d.severity,
        d.channel,
        d.muscle,
        d.message.slice(0, 500),
        d.value ?? null,
        d.limit ?? null,
        d.at,
      ],
    )) as AlertRow[];
    const [row] = rows;
    if (!row)
      this.logger.debug(
        { event: 'alert.raise_skipped', sessionId, kind: d.kind, channel: d.channel },
        'already open, stored or session not live',
      );
    return row ? toAlert(row) : null;
  }

  private async resolve(sessionId: string, r: AlertResolution): Promise<Alert | null> {
    const [rows] = (await this.db.query(
      `UPDATE alerts SET status = 'resolved', resolved_at = greatest($4::timestamptz, raised_at)
        WHERE session_id = $1 AND kind = $2 AND coalesce(channel, 0) = $3 AND status <> 'resolved'
       RETURNING ${ALERT_COLUMNS}`,
      [sessionId, r.kind, r.channel ?? 0, r.at],
    )) as [AlertRow[], number];
    const [row] = rows;
    return row ? toAlert(row) : null;
  }
}
