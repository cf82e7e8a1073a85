import { DEFAULT_REMINDER_POLICY, ReminderPolicy } from '@tautline/domain';
import { type EntityManager } from 'typeorm';

/** The policy in force for a clinic: its own row, else the organisation's default, else the built-in one. */
export async function effectivePolicy(
  db: EntityManager,
  organisationId: string,
  clinicId: string,
): Promise<{ policy: ReminderPolicy; source: 'clinic' | 'organisation' | 'default' }> {
  const [row] = (await db.query(
    `SELECT policy, clinic_id FROM reminder_policies
      WHERE organisation_id = $1 AND (clinic_id = $2 OR clinic_id IS NULL)
      ORDER BY clinic_id NULLS LAST LIMIT 1`,
    [organisationId, clinicId],
  )) as { policy: unknown; clinic_id: string | null }[];
  if (!row) return { policy: DEFAULT_REMINDER_POLICY, source: 'default' };
  // Stored policies were validated on write; parsing again fills fields added since.
  return {
    policy: ReminderPolicy.parse(row.policy),
    source: row.clinic_id ? 'clinic' : 'organisation',
  };
}
