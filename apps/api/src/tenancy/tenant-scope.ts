import { type Role } from '@tautline/domain';
import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { notFound } from '../common/problem';

/** Who is asking: set by the auth guard from the token and the user's current memberships. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  clinicIds: string[];
}

/** A patient acting through a signed self-service link or an SMS reply: no user account. */
export interface PatientActor {
  kind: 'patient';
  patientId: string;
  organisationId: string;
}

/** Whoever changes an appointment: a signed-in user or the patient. */
export type Actor = AuthenticatedUser | PatientActor;

/** The user behind an action, or null when the patient acted (audit rows then have no actor user). */
export function userOf(actor: Actor): AuthenticatedUser | null {
  return 'kind' in actor ? null : actor;
}

/**
 * The organisation and clinics a caller may see. Every query of a tenant-owned table goes through
 * `apply` or `requireClinic`, so a record of another organisation or clinic answers 404.
 */
export class TenantScope {
  private readonly clinics: ReadonlySet<string>;

  constructor(
    readonly organisationId: string,
    clinicIds: readonly string[],
  ) {
    this.clinics = new Set(clinicIds);
  }

  static of(user: AuthenticatedUser): TenantScope {
    return new TenantScope(user.organisationId, user.clinicIds);
  }

  get clinicIds(): string[] {
    return [...this.clinics];
  }

  hasClinic(clinicId: string): boolean {
    return this.clinics.has(clinicId);
  }

  /** Throws the same 404 for an unknown clinic and for one outside the caller's set. */
  requireClinic(clinicId: string): void {
    if (!this.hasClinic(clinicId)) throw notFound('clinic', clinicId);
  }

  /** Restricts a query to the caller's organisation and clinics (an empty set matches nothing). */
  apply<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    columns: { organisation?: string; clinic?: string } = {},
  ): SelectQueryBuilder<T> {
    const org = columns.organisation ?? 'organisationId';
    const clinic = columns.clinic ?? 'clinicId';
    qb.andWhere(`${alias}.${org} = :scopeOrganisationId`, {
      scopeOrganisationId: this.organisationId,
    });
    if (this.clinics.size === 0) return qb.andWhere('1 = 0');
    return qb.andWhere(`${alias}.${clinic} IN (:...scopeClinicIds)`, {
      scopeClinicIds: this.clinicIds,
    });
  }
}
