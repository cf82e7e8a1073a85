import { DEFAULT_SAFETY_THRESHOLDS, SafetyThresholds } from '@tautline/domain';
import { type EntityManager } from 'typeorm';

/** The clinic's thresholds, else the defaults. Sessions copy them at creation, so a change applies to new sessions. */
export async function clinicThresholds(
  db: EntityManager,
  organisationId: string,
  clinicId: string,
): Promise<SafetyThresholds> {
  const [row] = (await db.query(
    `SELECT thresholds FROM clinic_safety_thresholds WHERE clinic_id = $1 AND organisation_id = $2`,
    [clinicId, organisationId],
  )) as { thresholds: unknown }[];
  return row ? SafetyThresholds.parse(row.thresholds) : DEFAULT_SAFETY_THRESHOLDS;
}
