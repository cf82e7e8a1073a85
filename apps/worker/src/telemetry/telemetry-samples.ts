import { type TelemetrySample } from '@tautline/domain';
import { type DataSource } from 'typeorm';

/**
 * Stores a batch in one statement: the samples travel as one JSON parameter, unpacked by
 * `jsonb_to_recordset`, and `(device_id, seq)` makes every retry, re-sent batch or duplicate job
 * a no-op (DESIGN Key decision 4). Answers how many rows were new.
 */
export async function insertTelemetrySamples(
  db: DataSource,
  batch: {
    deviceId: string;
    sessionId: string;
    receivedAt: string;
    samples: readonly TelemetrySample[];
  },
): Promise<number> {
  const [row] = (await db.query(
    `WITH inserted AS (
       INSERT INTO telemetry_samples (device_id, seq, session_id, at, received_at, battery_pct, flags, channels)
       SELECT $1, s.seq, $2, s.at, $3, s."batteryPct", coalesce(s.flags, '{}'), s.channels
         FROM jsonb_to_recordset($4::jsonb) AS s(seq bigint, at timestamptz, "batteryPct" real, flags text[], channels jsonb)
       ON CONFLICT (device_id, seq) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS stored FROM inserted`,
    [batch.deviceId, batch.sessionId, batch.receivedAt, JSON.stringify(batch.samples)],
  )) as { stored: number }[];
  return row?.stored ?? 0;
}
