import { z } from 'zod';

export const ROLES = ['admin', 'scheduler', 'supervisor', 'practitioner'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** What each role may do; checked by the API's role guard and used by the dashboard's navigation. */
export const PERMISSIONS = {
  'clinic.read': ['admin', 'scheduler', 'supervisor', 'practitioner'],
  /** Rooms, practitioners, appointment types, availability and closures. */
  'clinic.manage': ['admin'],
  'notice.post': ['admin', 'supervisor'],
  'patient.read': ['admin', 'scheduler', 'supervisor', 'practitioner'],
  'patient.write': ['admin', 'scheduler', 'practitioner'],
  'appointment.read': ['admin', 'scheduler', 'supervisor', 'practitioner'],
  'appointment.write': ['admin', 'scheduler', 'supervisor', 'practitioner'],
  /** Accepting a relative contraindication is a clinical decision. */
  'screening.override': ['supervisor', 'practitioner'],
  /** The stimulator registry and device keys. */
  'device.manage': ['admin'],
  'session.read': ['admin', 'scheduler', 'supervisor', 'practitioner'],
  /** Starting, pausing and stopping e-stim is the treating clinician's (or a supervisor's) call. */
  'session.operate': ['supervisor', 'practitioner'],
  'alert.acknowledge': ['supervisor', 'practitioner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
