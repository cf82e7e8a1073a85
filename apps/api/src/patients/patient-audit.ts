import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inTransaction } from '../common/transaction';
import { AuthenticatedUser } from '../tenancy/tenant-scope';
import { isPatientNotFound } from './patient-records';

/** Audit actions on patient records. Details carry ids, codes and counts only: never PHI values. */
export const PATIENT_AUDIT = {
  searched: 'patient.searched',
  read: 'patient.read',
  created: 'patient.created',
  updated: 'patient.updated',
  consentRecorded: 'patient.consent_recorded',
  contraindicationsSet: 'patient.contraindications_set',
} as const;
export type PatientAuditAction = (typeof PATIENT_AUDIT)[keyof typeof PATIENT_AUDIT];

type Details = Record<string, string | number | boolean | null>;

/**
 * Runs patient work in one transaction that also writes its audit event. An attempt on a patient
 * the caller may not see is recorded as `denied` (the requested id as subject) in a transaction of
 * its own, since the work's transaction is rolled back.
 */
@Injectable()
export class PatientAuditTrail {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async run<T>(
    user: AuthenticatedUser,
    attempt: { action: PatientAuditAction; patientId?: string },
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await inTransaction(this.db, work);
    } catch (error) {
      const { patientId } = attempt;
      if (patientId !== undefined && isPatientNotFound(error, patientId)) {
        await this.audit.record(this.db.manager, user, {
          action: attempt.action,
          subjectType: 'patient',
          subjectId: patientId,
          // Unknown, another clinic's or another organisation's: the caller got the same 404.
          outcome: 'denied',
          details: { reason: 'not_visible' },
        });
      }
      throw error;
    }
  }

  record(
    tx: EntityManager,
    user: AuthenticatedUser,
    event: {
      action: PatientAuditAction;
      patientId?: string | null;
      clinicId: string | null;
      details?: Details;
    },
  ): Promise<void> {
    return this.audit.record(tx, user, {
      action: event.action,
      subjectType: 'patient',
      subjectId: event.patientId ?? null,
      clinicId: event.clinicId,
      outcome: 'success',
      details: event.details,
    });
  }
}
