import { Injectable } from '@nestjs/common';
import { ALERT_COLUMNS, type AlertRow, toAlert } from '@tautline/db';
import {
  type Alert,
  accumulateSummary,
  emptySummary,
  finishSummary,
  type SessionSummary,
  type TelemetrySample,
} from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { type SessionRow } from './session.row';

interface SampleRow {
  seq: string;
  at: Date;
  battery_pct: number;
  flags: string[];
  channels: TelemetrySample['channels'];
}

/** What ending a session writes: its summary from the stored samples, and its alerts resolved. */
@Injectable()
export class SessionEnding {
  async summarise(
    tx: EntityManager,
    session: SessionRow,
    runningSeconds: number,
  ): Promise<SessionSummary> {
    let acc = emptySummary(session.plan);
    // In pages, in seq order: a 90-minute session at 10 Hz is 54,000 samples.
    for (let after = -1; ; ) {
      const rows = (await tx.query(
        `SELECT seq, at, battery_pct, flags, channels FROM telemetry_samples
          WHERE session_id = $1 AND seq > $2 ORDER BY device_id, seq LIMIT 5000`,
        [session.id, after],
      )) as SampleRow[];
      if (rows.length === 0) break;
      acc = accumulateSummary(
        acc,
        rows.map((r) => ({
          seq: Number(r.seq),
          at: r.at.toISOString(),
          batteryPct: r.battery_pct,
          flags: r.flags as TelemetrySample['flags'],
          channels: r.channels,
        })),
        session.plan,
      );
      after = Number(rows[rows.length - 1]!.seq);
    }
    const [counts] = (await tx.query(
      `SELECT count(*) FILTER (WHERE severity = 'critical')::int AS critical, count(*) FILTER (WHERE severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE severity = 'technical')::int AS technical
         FROM alerts WHERE session_id = $1`,
      [session.id],
    )) as SessionSummary['alerts'][];
    return finishSummary(acc, {
      runningSeconds,
      alerts: counts ?? { critical: 0, warning: 0, technical: 0 },
    });
  }

  /**
   * The alarm model's `end` for a finished session's alerts: an open critical nobody acknowledged
   * latches (it stays on the board, sounding, until someone does); the rest resolve now
   * (acknowledgements are kept). Already latched ones stay latched.
   */
  async resolveAlerts(tx: EntityManager, sessionId: string, at: Date): Promise<Alert[]> {
    const [rows] = (await tx.query(
      `UPDATE alerts SET
          status = CASE WHEN status = 'open' AND severity = 'critical' THEN 'latched' ELSE 'resolved' END,
          cleared_at = greatest($2::timestamptz, raised_at),
          resolved_at = CASE WHEN status = 'open' AND severity = 'critical' THEN NULL
                             ELSE greatest($2::timestamptz, raised_at) END
        WHERE session_id = $1 AND status IN ('open', 'acknowledged') RETURNING ${ALERT_COLUMNS}`,
      [sessionId, at],
    )) as [AlertRow[], number];
    return rows.map(toAlert);
  }
}
