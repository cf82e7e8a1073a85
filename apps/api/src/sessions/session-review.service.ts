import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ALERT_COLUMNS, type AlertRow, toAlert } from '@tautline/db';
import {
  chooseBucketMs,
  downsampleTelemetry,
  type AlertAcknowledgement,
  type ReviewAlert,
  type SessionReview,
  type SessionReviewListQuery,
  type SessionReviewRow,
  type TelemetrySample,
} from '@tautline/domain';
import { DataSource } from 'typeorm';
import { notFound, validationProblem } from '../common/problem';
import { type TenantScope } from '../tenancy/tenant-scope';
import { REVIEW_SELECT, type ReviewRow, toSessionReviewRow } from './session-review.row';
import { SessionsService } from './sessions.service';

export interface ReviewQuery {
  from?: string;
  to?: string;
  bucketMs?: number;
}

/** Post-session review: telemetry downsampled into buckets for charts (min / max / mean per channel). */
@Injectable()
export class SessionReviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  async telemetry(scope: TenantScope, sessionId: string, q: ReviewQuery) {
    const session = await this.sessions.get(scope, sessionId);
    const [span] = (await this.db.query(
      `SELECT min(at) AS first, max(at) AS last, count(*)::int AS n FROM telemetry_samples WHERE session_id = $1`,
      [sessionId],
    )) as { first: Date | null; last: Date | null; n: number }[];
    const from = q.from ? Date.parse(q.from) : (span?.first?.getTime() ?? 0);
    const to = q.to ? Date.parse(q.to) : (span?.last?.getTime() ?? 0) + 1;
    if (to <= from) throw validationProblem([{ field: 'query.to', message: 'must be after from' }]);
    const bucketMs = q.bucketMs ?? chooseBucketMs(to - from);
    const rows = (await this.db.query(
      `SELECT seq, at, battery_pct, flags, channels FROM telemetry_samples
        WHERE session_id = $1 AND at >= $2 AND at < $3 ORDER BY at LIMIT 200000`,
      [sessionId, new Date(from), new Date(to)],
    )) as {
      seq: string;
      at: Date;
      battery_pct: number;
      flags: TelemetrySample['flags'];
      channels: TelemetrySample['channels'];
    }[];
    const samples: TelemetrySample[] = rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at.toISOString(),
      batteryPct: r.battery_pct,
      flags: r.flags,
      channels: r.channels,
    }));
    return {
      sessionId: session.id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucketMs,
      samples: rows.length,
      points: downsampleTelemetry(samples, bucketMs),
    };
  }

  // Review list and header (helper E): names of clinic, room, practitioner, patient initials, alert counts.

  async list(scope: TenantScope, q: SessionReviewListQuery): Promise<SessionReviewRow[]> {
    scope.requireClinic(q.clinicId);
    const rows = (await this.db.query(
      `${REVIEW_SELECT}
        WHERE s.clinic_id = $1 AND s.organisation_id = $2 AND ($3::text IS NULL OR s.status = $3)
        ORDER BY coalesce(s.started_at, s.created_at) DESC, s.id LIMIT $4`,
      [q.clinicId, scope.organisationId, q.status ?? null, q.limit],
    )) as ReviewRow[];
    return rows.map(toSessionReviewRow);
  }

  async review(scope: TenantScope, sessionId: string): Promise<SessionReview> {
    const [row] = (await this.db.query(
      `${REVIEW_SELECT} WHERE s.id = $1 AND s.organisation_id = $2`,
      [sessionId, scope.organisationId],
    )) as ReviewRow[];
    if (!row || !scope.hasClinic(row.clinic_id)) throw notFound('session', sessionId);
    return { session: toSessionReviewRow(row), alerts: await this.reviewAlerts(row.id) };
  }

  /** The session's alerts in the order raised, each with its acknowledgement history (oldest first). */
  private async reviewAlerts(sessionId: string): Promise<ReviewAlert[]> {
    const alerts = (
      (await this.db.query(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE session_id = $1 ORDER BY raised_at, id`,
        [sessionId],
      )) as AlertRow[]
    ).map(toAlert);
    const history = (await this.db.query(
      `SELECT k.alert_id, k.at, k.user_id, u.name, k.note, k.kind
         FROM alert_acknowledgements k LEFT JOIN users u ON u.id = k.user_id
        WHERE k.alert_id = ANY($1::uuid[]) ORDER BY k.at, k.id`,
      [alerts.map((a) => a.id)],
    )) as {
      alert_id: string;
      at: Date;
      user_id: string;
      name: string | null;
      note: string | null;
      kind: AlertAcknowledgement['kind'];
    }[];
    return alerts.map((alert) => ({
      ...alert,
      acknowledgements: history
        .filter((h) => h.alert_id === alert.id)
        .map((h) => ({
          at: h.at.toISOString(),
          byUserId: h.user_id,
          byName: h.name,
          note: h.note,
          kind: h.kind,
        })),
    }));
  }
}
