import { can, type Role } from '../roles';

/** Who asks to create, start, pause, resume, stop or abort a treatment session. */
export interface SessionCaller {
  userId: string;
  role: Role;
}

export type SessionOperatorVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Running e-stim is the treating clinician's call: a practitioner operates only the sessions of
 * appointments booked with them (their own practitioner record's account); a supervisor oversees
 * every session of their clinics. Roles without `session.operate` never may. `treatingUserId` is
 * the account of the appointment's practitioner, or null when that practitioner has none.
 */
export function maySessionBeOperatedBy(
  caller: SessionCaller,
  treatingUserId: string | null,
): SessionOperatorVerdict {
  if (!can(caller.role, 'session.operate')) {
    return { ok: false, reason: `the ${caller.role} role may not operate e-stim sessions` };
  }
  if (caller.role !== 'practitioner') return { ok: true };
  if (treatingUserId !== null && treatingUserId === caller.userId) return { ok: true };
  return {
    ok: false,
    reason: 'only the treating practitioner or a supervisor may operate this session',
  };
}
