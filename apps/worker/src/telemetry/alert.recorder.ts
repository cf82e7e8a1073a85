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
  /** New rows. */
  raised: Alert[];
  /** Latched rows whose condition came back (open again, `occurrences` + 1). */
  reopened: Alert[];
  /** Cleared conditions: latched (an unanswered critical) or resolved. */
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
 *   the same moment either sees the new alert and ends it, or the insert sees the stop), only
 *   if this very raise (same key and instant) was not stored before, and only if no unresolved
 *   alert of the key exists (`ON CONFLICT` on the partial unique index `alerts_one_open`). When
 *   that unresolved alert is LATCHED (an unanswered critical that cleared), the raise re-opens it
 *   instead (`recur`: occurrences + 1), once: only a raise after it cleared, only while latched;
 * - a clearing is a conditional update of the key's open or acknowledged alert, applying the alarm
 *   model's `clear` (an open critical latches, anything else resolves).
 * An event is emitted only for a row this call changed: `alert.raised` for a new row,
 * `alert.updated` for a re-opened or cleared one. Where (clinic, room, initials) and the channel's
 * side are snapshot with the raise.
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
    const recorded: RecordedAlerts = { raised: [], reopened: [], resolved: [] };
    for (const change of orderedChanges(before, outcome)) {
      if (change.type === 'raise') {
        const result = await this.raise(session.sessionId, change.draft);
        if (!result) continue;
        const { alert, reopened } = result;
        (reopened ? recorded.reopened : recorded.raised).push(alert);
        this.live
          .to(clinicRoom(alert.clinicId))
          .emit(reopened ? 'alert.updated' : 'alert.raised', { alert });
        this.logger.info(
          {
            event: reopened ? 'alert.recurred' : 'alert.raised',
            occurrences: alert.occurrences,
            alertId: alert.id,
            sessionId: alert.sessionId,
            kind: alert.kind,
            channel: alert.channel,
            severity: alert.severity,
          },
          reopened ? 'latched alert re-opened' : 'alert raised',
        );
      } else {
        const alert = await this.resolve(session.sessionId, change.resolution);
        if (!alert) continue;
        recorded.resolved.push(alert);
        this.live.to(clinicRoom(alert.clinicId)).emit('alert.updated', { alert });
        this.logger.info(
          {
            event: alert.status === 'latched' ? 'alert.latched' : 'alert.resolved',
            alertId: alert.id,
            sessionId: alert.sessionId,
            kind: alert.kind,
            channel: alert.channel,
          },
          alert.status === 'latched' ? 'alert latched' : 'alert resolved',
        );
      }
    }
    return recorded;
  }

  private async raise(
    sessionId: string,
    d: AlertDraft,
  ): Promise<{ alert: Alert; reopened: boolean } | null> {
    const rows = (await this.db.query(
      `WITH live AS (
         SELECT s.id, s.organisation_id, s.clinic_id, s.room_id, c.name AS clinic_name, r.name AS room_name,
                upper(left(p.given_name, 1) || left(p.family_name, 1)) AS initials,
                (SELECT ch->>'side' FROM jsonb_array_elements(s.plan->'channels') ch
                  WHERE (ch->>'channel')::int = $4::int LIMIT 1) AS side
           FROM treatment_sessions s
           JOIN clinics c ON c.id = s.clinic_id
           JOIN rooms r ON r.id = s.room_id
           JOIN appointments ap ON ap.id = s.appointment_id
           JOIN patients p ON p.id = ap.patient_id
          WHERE s.id = $1 AND s.status IN ('running', 'paused') FOR SHARE OF s)
       INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, muscle, side, message,
                           value, "limit", clinic_name, room_name, patient_initials, raised_at)
       SELECT live.organisation_id, live.clinic_id, live.room_id, live.id, $2, $3, $4::int, $5, live.side, $6,
              $7::float8, $8::float8, live.clinic_name, live.room_name, live.initials, $9::timestamptz
         FROM live
        WHERE NOT EXISTS (
          SELECT 1 FROM alerts a
           WHERE a.clinic_id = live.clinic_id AND a.raised_at = $9::timestamptz AND a.session_id = live.id
             AND a.kind = $2 AND a.channel IS NOT DISTINCT FROM $4::int)
       ON CONFLICT (session_id, kind, (coalesce(channel, 0))) WHERE status <> 'resolved'
       DO UPDATE SET status = 'open', occurrences = alerts.occurrences + 1, cleared_at = NULL,
                     message = EXCLUDED.message, value = EXCLUDED.value, "limit" = EXCLUDED."limit"
        WHERE alerts.status = 'latched' AND alerts.cleared_at <= EXCLUDED.raised_at
       RETURNING ${ALERT_COLUMNS}, NOT (xmax = 0) AS reopened`,
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
    )) as (AlertRow & { reopened: boolean })[];
    const [row] = rows;
    if (!row) {
      this.logger.debug(
        { event: 'alert.raise_skipped', sessionId, kind: d.kind, channel: d.channel },
        'already open, stored or session not live',
      );
      return null;
    }
    return { alert: toAlert(row), reopened: row.reopened };
  }

  /** The alarm model's `clear` (see `alarmTransition`): an open critical latches, the rest resolve. */
  private async resolve(sessionId: string, r: AlertResolution): Promise<Alert | null> {
    const [rows] = (await this.db.query(
      `UPDATE alerts SET
          status = CASE WHEN status = 'open' AND severity = 'critical' THEN 'latched' ELSE 'resolved' END,
          cleared_at = greatest($4::timestamptz, raised_at),
          resolved_at = CASE WHEN status = 'open' AND severity = 'critical' THEN NULL
                             ELSE greatest($4::timestamptz, raised_at) END
        WHERE session_id = $1 AND kind = $2 AND coalesce(channel, 0) = $3 AND status IN ('open', 'acknowledged')
       RETURNING ${ALERT_COLUMNS}`,
      [sessionId, r.kind, r.channel ?? 0, r.at],
    )) as [AlertRow[], number];
    const [row] = rows;
    return row ? toAlert(row) : null;
  }
}
