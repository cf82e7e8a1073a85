import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';

export interface AuditEvent {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  clinicId?: string | null;
  outcome?: 'success' | 'denied' | 'failed';
  /** Ids and codes only: never names, dates of birth, notes or other patient data. */
  details?: Record<string, string | number | boolean | null>;
}

/** Who did what, when, where, with what outcome: written in the caller's transaction. */
@Injectable()
export class AuditService {
  async record(
    tx: EntityManager,
    actor: AuthenticatedUser | null,
    event: AuditEvent,
    organisationId?: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO audit_events (organisation_id, clinic_id, actor_user_id, action, subject_type, subject_id, outcome, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        organisationId ?? actor?.organisationId,
        event.clinicId ?? null,
        actor?.id ?? null,
        event.action,
        event.subjectType,
        event.subjectId ?? null,
        event.outcome ?? 'success',
        JSON.stringify(event.details ?? {}),
      ],
    );
  }
}
