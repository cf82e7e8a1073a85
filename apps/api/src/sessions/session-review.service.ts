import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chooseBucketMs, downsampleTelemetry, type TelemetrySample } from '@tautline/domain';
import { DataSource } from 'typeorm';
import { validationProblem } from '../common/problem';
import { type TenantScope } from '../tenancy/tenant-scope';
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
}
