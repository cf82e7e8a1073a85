import { Inject, Injectable } from '@nestjs/common';
import { ALERT_COLUMNS, type AlertRow, toAlert } from '@tautline/db';
import {
  type Alert,
  clinicRoom,
  judgeClinicMonitoring,
  type MonitoredSession,
  monitoringDegradedMessage,
} from '@tautline/domain';
import { type LiveEmitter } from '@tautline/queues';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, LIVE_EMITTER } from '../infrastructure/infrastructure.module';
import { type LiveSessionContext } from '../telemetry/live-session.context';

/**
 * The clinic-level `monitoring_degraded` alert: raised once while a clinic's devices are being
 * answered 429 (the server is overloaded, the devices are not offline), resolved when the refusals
 * stop. One per clinic whatever the number of devices or workers: the partial unique index
 * `alerts_one_open_per_clinic` and conditional updates make raising and resolving idempotent.
 */
@Injectable()
export class ClinicMonitoring {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LIVE_EMITTER) private readonly live: LiveEmitter,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('watchdog');
  }

  /** Judges every clinic with running sessions or an open degraded alert; `throttled` is per session (Redis clock). */
  async check(
    sessions: readonly LiveSessionContext[],
    throttled: ReadonlyMap<string, number | null>,
    now: number,
  ): Promise<void> {
    const byClinic = new Map<string, { organisationId: string; monitored: MonitoredSession[] }>();
    for (const s of sessions) {
      const clinic = byClinic.get(s.clinicId) ?? {
        organisationId: s.organisationId,
        monitored: [],
      };
      clinic.monitored.push({
        throttledAt: throttled.get(s.sessionId) ?? null,
        offlineAfterMs: s.thresholds.offlineAfterMs,
      });
      byClinic.set(s.clinicId, clinic);
    }
    const open = (await this.db.query(
      `SELECT clinic_id, organisation_id FROM alerts WHERE session_id IS NULL AND kind = 'monitoring_degraded' AND status <> 'resolved'`,
    )) as { clinic_id: string; organisation_id: string }[];
    const openClinics = new Set(open.map((o) => o.clinic_id));
    for (const o of open)
      if (!byClinic.has(o.clinic_id))
        byClinic.set(o.clinic_id, { organisationId: o.organisation_id, monitored: [] });

    for (const [clinicId, clinic] of byClinic) {
      const change = judgeClinicMonitoring(openClinics.has(clinicId), clinic.monitored, now);
      if (change === 'raise') await this.raise(clinicId, now);
      if (change === 'resolve') await this.resolve(clinicId, now);
    }
  }

  private async raise(clinicId: string, now: number): Promise<void> {
    const [clinic] = (await this.db.query(`SELECT name FROM clinics WHERE id = $1`, [
      clinicId,
    ])) as { name: string }[];
    if (!clinic) return;
    const rows = (await this.db.query(
      `INSERT INTO alerts (organisation_id, clinic_id, kind, severity, message, clinic_name, raised_at)
       SELECT c.organisation_id, c.id, 'monitoring_degraded', 'technical', $2, c.name, $3::timestamptz FROM clinics c WHERE c.id = $1
       ON CONFLICT (clinic_id, kind) WHERE session_id IS NULL AND status <> 'resolved' DO NOTHING
       RETURNING ${ALERT_COLUMNS}`,
      [clinicId, monitoringDegradedMessage(clinic.name), new Date(now).toISOString()],
    )) as AlertRow[];
    const [row] = rows;
    if (!row) return;
    this.emit('alert.raised', toAlert(row));
  }

  private async resolve(clinicId: string, now: number): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE alerts SET status = 'resolved', resolved_at = greatest($2::timestamptz, raised_at),
              cleared_at = greatest($2::timestamptz, raised_at)
        WHERE clinic_id = $1 AND session_id IS NULL AND kind = 'monitoring_degraded' AND status <> 'resolved'
       RETURNING ${ALERT_COLUMNS}`,
      [clinicId, new Date(now).toISOString()],
    )) as [AlertRow[], number];
    const [row] = rows;
    if (!row) return;
    this.emit('alert.updated', toAlert(row));
  }

  private emit(event: 'alert.raised' | 'alert.updated', alert: Alert): void {
    this.live.to(clinicRoom(alert.clinicId)).emit(event, { alert });
    this.logger.warn(
      {
        event: event === 'alert.raised' ? 'monitoring.degraded' : 'monitoring.restored',
        alertId: alert.id,
        clinicId: alert.clinicId,
      },
      event === 'alert.raised'
        ? 'clinic monitoring degraded: telemetry refused under overload'
        : 'clinic monitoring restored',
    );
  }
}
