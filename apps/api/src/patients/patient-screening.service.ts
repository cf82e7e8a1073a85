import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import {
  ClinicEntity,
  PatientConsentEntity,
  PatientContraindicationEntity,
  PatientEntity,
} from '@tautline/db';
import {
  ContraindicationCode,
  contraindicationLabel,
  type ConsentView,
  type ContraindicationView,
  type PatientScreening,
  type PatientScreeningView,
  type RecordConsentRequest,
  screeningSummary,
  type SetContraindicationsRequest,
} from '@tautline/domain';
import { EntityManager } from 'typeorm';
import { PG, pgErrorOf } from '../common/pg-errors';
import { Problem, validationProblem } from '../common/problem';
import { AuthenticatedUser, TenantScope } from '../tenancy/tenant-scope';
import { PATIENT_AUDIT, PatientAuditTrail } from './patient-audit';
import { findVisiblePatient, todayIn } from './patient-records';

interface ScreeningRecords {
  consents: ConsentView[];
  contraindications: ContraindicationView[];
}

/** Consents and contraindications on file, and what they allow (rules: `screenPatient` in the domain). */
@Injectable()
export class PatientScreeningService {
  private readonly logger = new Logger(PatientScreeningService.name);

  constructor(private readonly trail: PatientAuditTrail) {}

  /** The records on file; codes the catalogue no longer knows are left out (and logged by id). */
  async records(tx: EntityManager, patientId: string): Promise<ScreeningRecords> {
    // One after the other: a transaction's queries share one connection.
    const consents = await tx
      .getRepository(PatientConsentEntity)
      .find({ where: { patientId }, order: { signedOn: 'ASC', kind: 'ASC', version: 'ASC' } });
    const contraindications = await tx
      .getRepository(PatientContraindicationEntity)
      .find({ where: { patientId }, order: { code: 'ASC' } });
    const known = contraindications.filter((c) => ContraindicationCode.safeParse(c.code).success);
    if (known.length < contraindications.length) {
      const unknown = contraindications.length - known.length;
      this.logger.warn(
        `patient ${patientId} has ${unknown} contraindication code(s) outside the catalogue`,
      );
    }
    return {
      consents: consents.map((c) => ({
        id: c.id,
        kind: c.kind,
        signedOn: c.signedOn,
        version: c.version,
      })),
      contraindications: known.map((c) => ({
        code: c.code as ContraindicationCode,
        label: contraindicationLabel(c.code as ContraindicationCode),
        notedOn: c.notedOn,
        note: c.note,
      })),
    };
  }

  /** The records plus what they allow today at the patient's home clinic. */
  async view(tx: EntityManager, patient: PatientEntity): Promise<PatientScreeningView> {
    const records = await this.records(tx, patient.id);
    const today = todayIn(await this.clinicZone(tx, patient));
    return { ...records, summary: screeningSummary(toScreening(records), today) };
  }

  async recordConsent(
    scope: TenantScope,
    user: AuthenticatedUser,
    patientId: string,
    body: RecordConsentRequest,
  ): Promise<PatientScreeningView> {
    return this.trail.run(
      user,
      { action: PATIENT_AUDIT.consentRecorded, patientId },
      async (tx) => {
        const patient = await findVisiblePatient(tx, scope, patientId, { lock: true });
        if (body.signedOn < patient.dateOfBirth) {
          throw validationProblem([
            { field: 'body.signedOn', message: "cannot be before the patient's date of birth" },
          ]);
        }
        const repo = tx.getRepository(PatientConsentEntity);
        if (await repo.exists({ where: { patientId, kind: body.kind, version: body.version } })) {
          throw consentOnFile(body);
        }
        const consent = await repo
          .insert({ patientId, organisationId: patient.organisationId, ...body })
          .catch((error: unknown) => {
            throw pgErrorOf(error)?.code === PG.uniqueViolation ? consentOnFile(body) : error;
          });
        const consentId = String(consent.identifiers[0]?.id);
        await this.trail.record(tx, user, {
          action: PATIENT_AUDIT.consentRecorded,
          patientId,
          clinicId: patient.clinicId,
          details: { consentId, kind: body.kind },
        });
        return this.view(tx, patient);
      },
    );
  }

  /** Replaces the list: codes kept keep the day they were first noted, new ones are noted today. */
  async setContraindications(
    scope: TenantScope,
    user: AuthenticatedUser,
    patientId: string,
    body: SetContraindicationsRequest,
  ): Promise<PatientScreeningView> {
    return this.trail.run(
      user,
      { action: PATIENT_AUDIT.contraindicationsSet, patientId },
      async (tx) => {
        const patient = await findVisiblePatient(tx, scope, patientId, { lock: true });
        const codes = body.contraindications.map((c) => c.code);
        const notes = body.contraindications.map((c) => c.note || null);
        await tx.query(
          `DELETE FROM patient_contraindications WHERE patient_id = $1 AND NOT (code = ANY($2::text[]))`,
          [patientId, codes],
        );
        if (codes.length > 0) {
          await tx.query(
            `INSERT INTO patient_contraindications (patient_id, organisation_id, code, noted_on, note)
           SELECT $1, $2, c.code, $3::date, c.note FROM unnest($4::text[], $5::text[]) AS c(code, note)
           ON CONFLICT (patient_id, code) DO UPDATE SET note = EXCLUDED.note`,
            [
              patientId,
              patient.organisationId,
              todayIn(await this.clinicZone(tx, patient)),
              codes,
              notes,
            ],
          );
        }
        // The count only: which conditions a patient has is PHI.
        await this.trail.record(tx, user, {
          action: PATIENT_AUDIT.contraindicationsSet,
          patientId,
          clinicId: patient.clinicId,
          details: { count: codes.length },
        });
        return this.view(tx, patient);
      },
    );
  }

  private async clinicZone(tx: EntityManager, patient: PatientEntity): Promise<string> {
    const clinic = await tx
      .getRepository(ClinicEntity)
      .findOne({ where: { id: patient.clinicId }, select: { id: true, timeZone: true } });
    return clinic?.timeZone ?? patient.timeZone;
  }
}

/** The screening the rules read: consents and catalogue codes, no override (that belongs to a booking). */
export function toScreening(records: ScreeningRecords): PatientScreening {
  return {
    consents: records.consents.map(({ kind, signedOn, version }) => ({ kind, signedOn, version })),
    contraindications: records.contraindications.map((c) => c.code),
  };
}

function consentOnFile(body: RecordConsentRequest): Problem {
  return new Problem(
    HttpStatus.CONFLICT,
    'Conflict',
    `a ${body.kind} consent of version ${body.version} is already on file for this patient`,
  );
}
