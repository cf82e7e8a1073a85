import { Inject, Injectable } from '@nestjs/common';
import { ALERT_COLUMNS, alertColumns, type AlertRow, toAlert } from '@tautline/db';
import { clinicRoom, shouldRealert } from '@tautline/domain';
import { type LiveEmitter } from '@tautline/queues';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, LIVE_EMITTER } from '../infrastructure/infrastructure.module';
import { thresholdsOf } from '../telemetry/live-session.context';
import { LiveUpdates } from '../telemetry/live-updates';

interface CandidateRow extends AlertRow {
  organisation_id: string;
  thresholds: unknown;
}

/**
 * Re-alert (IEC 60601-1-8: no silence forever): an acknowledged alert whose condition still holds
 * `realertAfterSeconds` after the acknowledgement is open (sounding) again. The row's
 * acknowledgement is cleared (the history keeps it in `alert_acknowledgements`) and `realerted_at`
 * set; pushed as `alert.updated`. A conditional update on the acknowledgement judged, so two
 * workers, or a tick repeated, re-alert it once per interval.
 */
@Injectable()
export class AlertRealerter {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly updates: LiveUpdates,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('realert');
  }

  async run(now = Date.now()): Promise<number> {
    const candidates = (await this.db.query(
      `SELECT ${alertColumns('a')}, a.organisation_id, s.thresholds
         FROM alerts a LEFT JOIN treatment_sessions s ON s.id = a.session_id
        WHERE a.status = 'acknowledged'`,
    )) as CandidateRow[];
    let realerted = 0;
    for (const row of candidates) {
      const thresholds = thresholdsOf(row.thresholds);
      if (!shouldRealert(toAlert(row), now, thresholds)) continue;
      if (await this.realert(row, now, thresholds.realertAfterSeconds)) realerted += 1;
    }
    return realerted;
  }

  private async realert(row: CandidateRow, now: number, afterSeconds: number): Promise<boolean> {
    const [rows] = (await this.db.query(
      `UPDATE alerts SET status = 'open', realerted_at = $2::timestamptz, acknowledged_at = NULL,
              acknowledged_by = NULL, acknowledged_by_name = NULL, acknowledgement_note = NULL
        WHERE id = $1 AND status = 'acknowledged'
          AND acknowledged_at <= $2::timestamptz - make_interval(secs => $3::float8)
       RETURNING ${ALERT_COLUMNS}`,
      [row.id, new Date(now).toISOString(), afterSeconds],
    )) as [AlertRow[], number];
    const [updated] = rows;
    if (!updated) return false;
    const alert = toAlert(updated);
    this.live.to(clinicRoom(alert.clinicId)).emit('alert.updated', { alert });
    if (alert.sessionId) this.updates.markDirty(alert.sessionId, row.organisation_id);
    this.logger.info(
      { event: 'alert.realerted', alertId: alert.id, sessionId: alert.sessionId },
      'acknowledged alert still holds: sounding again',
    );
    return true;
  }
}
