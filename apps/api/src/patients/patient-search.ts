import { PatientEntity } from '@tautline/db';
import { parsePatientSearch } from '@tautline/domain';
import { Brackets, SelectQueryBuilder } from 'typeorm';
import { likePrefix } from './patient-records';

/**
 * Narrows a patient query to a search term: phone digits (`+4477…` as a prefix of the E.164
 * number, a national `07700 9…` anywhere in it), or name prefixes, each word matching the start
 * of the given or family name. Returns how the term was read, for the audit event.
 */
export function applySearch(qb: SelectQueryBuilder<PatientEntity>, q: string): 'name' | 'phone' {
  const term = parsePatientSearch(q);
  if (term.by === 'phone') {
    const pattern = term.international
      ? likePrefix(`+${term.digits}`)
      : `%${likePrefix(term.digits)}`;
    qb.andWhere('patient.phone LIKE :phonePattern', { phonePattern: pattern });
    return 'phone';
  }
  term.prefixes.forEach((prefix, i) => {
    qb.andWhere(
      new Brackets((w) =>
        w
          .where(`lower(patient.family_name) LIKE :name${i}`, { [`name${i}`]: likePrefix(prefix) })
          .orWhere(`lower(patient.given_name) LIKE :name${i}`),
      ),
    );
  });
  return 'name';
}
