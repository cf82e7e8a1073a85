import type { Role } from '@tautline/domain';

/** The demo organisation: what `pnpm db:seed` writes and what the README lists. */
export const DEMO_PASSWORD = 'tautline-demo-2026';

export const DEMO_ORGANISATION = { slug: 'tautline-physio', name: 'Tautline Physio Group' };

export const DEMO_CLINICS = [
  { slug: 'london-bridge', name: 'London Bridge', timeZone: 'Europe/London', phone: '+442079460101' },
  { slug: 'manchester', name: 'Manchester', timeZone: 'Europe/London', phone: '+441619460102' },
  { slug: 'new-york-chelsea', name: 'New York Chelsea', timeZone: 'America/New_York', phone: '+12125550103' },
] as const;

export type DemoClinicSlug = (typeof DEMO_CLINICS)[number]['slug'];

export const DEMO_USERS: { email: string; name: string; role: Role; clinics: DemoClinicSlug[] }[] = [
  { email: 'admin@tautline.test', name: 'Alex Admin', role: 'admin', clinics: ['london-bridge', 'manchester', 'new-york-chelsea'] },
  { email: 'scheduler@tautline.test', name: 'Sam Scheduler', role: 'scheduler', clinics: ['london-bridge', 'manchester'] },
  { email: 'supervisor@tautline.test', name: 'Dr Sofia Supervisor', role: 'supervisor', clinics: ['london-bridge', 'manchester', 'new-york-chelsea'] },
  { email: 'practitioner@tautline.test', name: 'Pat Practitioner', role: 'practitioner', clinics: ['new-york-chelsea'] },
];
