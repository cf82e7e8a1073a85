import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PATIENT_REPLIES_MAX, type PatientMessages, type PatientSmsReply } from '@tautline/domain';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { inTransaction } from '../common/transaction';
import { findVisiblePatient, isPatientNotFound } from '../patients/patient-records';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';

const ACTION = 'patient.messages_read';

/** A patient's SMS replies and opt-outs, for staff of the patient's home clinic (reads are audited). */
@Injectable()
export class PatientMessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(
    scope: TenantScope,
    user: AuthenticatedUser,
    patientId: string,
  ): Promise<PatientMessages> {
    try {
      return await inTransaction(this.db, async (tx) => {
        const patient = await findVisiblePatient(tx, scope, patientId);
        const [optOuts] = (await tx.query(
          `SELECT sms_opted_out_at, email_opted_out_at FROM patients WHERE id = $1`,
          [patient.id],
        )) as { sms_opted_out_at: Date | null; email_opted_out_at: Date | null }[];
        // Replies about appointments at the caller's clinics only, like every tenant-owned read.
        const rows = (await tx.query(
          `SELECT id, received_at, keyword, outcome, body, appointment_id FROM inbound_messages
            WHERE patient_id = $1 AND organisation_id = $2 AND clinic_id = ANY($3::uuid[])
            ORDER BY received_at DESC, id DESC LIMIT $4`,
          [patient.id, scope.organisationId, scope.clinicIds, PATIENT_REPLIES_MAX],
        )) as {
          id: string;
          received_at: Date;
          keyword: PatientSmsReply['keyword'];
          outcome: PatientSmsReply['outcome'];
          body: string;
          appointment_id: string;
        }[];
        await this.audit.record(tx, user, {
          action: ACTION,
          subjectType: 'patient',
          subjectId: patient.id,
          clinicId: patient.clinicId,
          details: { count: rows.length },
        });
        return {
          smsOptedOutAt: optOuts?.sms_opted_out_at?.toISOString() ?? null,
          emailOptedOutAt: optOuts?.email_opted_out_at?.toISOString() ?? null,
          replies: rows.map((r) => ({
            id: r.id,
            receivedAt: r.received_at.toISOString(),
            keyword: r.keyword,
            outcome: r.outcome,
            text: r.body,
            appointmentId: r.appointment_id,
          })),
        };
      });
    } catch (error) {
      if (isPatientNotFound(error, patientId)) {
        // Unknown, another clinic's or another organisation's: the same 404, recorded as denied.
        await this.audit.record(this.db.manager, user, {
          action: ACTION,
          subjectType: 'patient',
          subjectId: patientId,
          outcome: 'denied',
          details: { reason: 'not_visible' },
        });
      }
      throw error;
    }
  }
}
