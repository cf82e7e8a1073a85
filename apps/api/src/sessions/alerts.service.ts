import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ALERT_COLUMNS, type AlertRow, alertTrayOrder, toAlert } from '@tautline/db';
import { type Alert, acknowledgementKind, alarmTransition } from '@tautline/domain';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound, Problem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { LiveSessionsService } from '../live-sessions/live-sessions.service';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';

export interface AlertFilter {
  clinicId?: string;
  sessionId?: string;
  status?: Alert['status'];
  severity?: Alert['severity'];
  from?: string;
  to?: string;
  limit: number;
}

/**
 * Alert history and acknowledgement, scoped to the caller's clinics. Acknowledging follows the alarm
 * model: an open alert becomes acknowledged (silent, re-alerts if it persists), a latched one
 * (cleared, never answered) is resolved, a self-cleared one nobody answered is dismissed; each is
 * kept in `alert_acknowledgements` and audited.
 */
@Injectable()
export class AlertsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveSessionsService,
  ) {}

  async list(scope: TenantScope, f: AlertFilter): Promise<Alert[]> {
    if (f.clinicId) scope.requireClinic(f.clinicId);
    const rows = (await this.db.query(
      `SELECT ${ALERT_COLUMNS} FROM alerts
        WHERE organisation_id = $1 AND clinic_id = ANY($2::uuid[])
          AND ($3::uuid IS NULL OR session_id = $3) AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR severity = $5)
          AND ($6::timestamptz IS NULL OR raised_at >= $6) AND ($7::timestamptz IS NULL OR raised_at < $7)
        ORDER BY ${alertTrayOrder()} LIMIT $8`,
      [
        scope.organisationId,
        f.clinicId ? [f.clinicId] : scope.clinicIds,
        f.sessionId ?? null,
        f.status ?? null,
        f.severity ?? null,
        f.from ?? null,
        f.to ?? null,
        f.limit,
      ],
    )) as AlertRow[];
    return rows.map(toAlert);
  }

  async acknowledge(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    note: string | undefined,
  ): Promise<Alert> {
    const alert = await inTransaction(this.db, async (tx) => {
      const [current] = (await tx.query(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 AND organisation_id = $2 FOR UPDATE`,
        [id, scope.organisationId],
      )) as AlertRow[];
      if (!current || !scope.hasClinic(current.clinic_id)) throw notFound('alert', id);
      const move = alarmTransition(toAlert(current), 'acknowledge');
      if (!move.ok)
        throw new Problem(HttpStatus.CONFLICT, 'Conflict', move.error.message, undefined, {
          currentStatus: current.status,
        });
      const kind = acknowledgementKind(current);
      const [[row]] = (await tx.query(
        `UPDATE alerts SET status = $2, acknowledged_at = now(), acknowledged_by = $3,
                acknowledged_by_name = (SELECT name FROM users WHERE id = $3), acknowledgement_note = $4,
                resolved_at = CASE WHEN $2 = 'resolved' THEN coalesce(resolved_at, now()) END
          WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
        [id, move.status, user.id, note ?? null],
      )) as [AlertRow[], number];
      await tx.query(
        `INSERT INTO alert_acknowledgements (organisation_id, clinic_id, alert_id, user_id, kind, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [scope.organisationId, current.clinic_id, id, user.id, kind, note ?? null],
      );
      await this.audit.record(tx, user, {
        action: kind === 'dismissed' ? 'alert.dismissed' : 'alert.acknowledged',
        subjectType: 'alert',
        subjectId: id,
        clinicId: current.clinic_id,
        details: { from: current.status, to: move.status },
      });
      return toAlert(row!);
    });
    this.live.alertChanged('alert.updated', alert);
    return alert;
  }
}
