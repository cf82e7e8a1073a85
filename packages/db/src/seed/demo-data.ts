import type { Role } from '@tautline/domain';

/** The demo organisation: what `pnpm db:seed` writes and what the README lists. */
export const DEMO_PASSWORD = 'tautline-demo-2026';

export const DEMO_ORGANISATION = { slug: 'tautline-physio', name: 'Tautline Physio Group' };

export const DEMO_CLINICS = [
  {
    slug: 'london-bridge',
    name: 'London Bridge',
    timeZone: 'Europe/London',
    phone: '+442079460101',
  },
  { slug: 'manchester', name: 'Manchester', timeZone: 'Europe/London', phone: '+441619460102' },
  {
    slug: 'new-york-chelsea',
    name: 'New York Chelsea',
    timeZone: 'America/New_York',
    phone: '+12125550103',
  },
] as const;

export type DemoClinicSlug = (typeof DEMO_CLINICS)[number]['slug'];

export const DEMO_USERS: { email: string; name: string; role: Role; clinics: DemoClinicSlug[] }[] =
  [
    {
      email: 'admin@tautline.test',
      name: 'Alex Admin',
      role: 'admin',
      clinics: ['london-bridge', 'manchester', 'new-york-chelsea'],
    },
    {
      email: 'scheduler@tautline.test',
      name: 'Sam Scheduler',
      role: 'scheduler',
      clinics: ['london-bridge', 'manchester'],
    },
    {
      email: 'supervisor@tautline.test',
      name: 'Dr Sofia Supervisor',
      role: 'supervisor',
      clinics: ['london-bridge', 'manchester', 'new-york-chelsea'],
    },
    {
      email: 'practitioner@tautline.test',
      name: 'Pat Practitioner',
      role: 'practitioner',
      clinics: ['new-york-chelsea'],
    },
  ];

// ---- Scheduling (all people fictional; phone numbers from the ranges reserved for drama:
// UK 07700 900xxx, US 555-01xx; emails at example.com) ----

/** Effective date of the demo's weekly availability. */
export const DEMO_AVAILABILITY_FROM = '2026-01-05';

/** Mon–Fri, local time of the clinic; the lunch hour is not bookable. */
export const DEMO_WORKING_HOURS = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
] as const;

/** Monday to Friday (ISO weekdays). */
export const DEMO_WEEKDAYS = [1, 2, 3, 4, 5];

/** Four rooms per clinic; rooms 1 and 2 have a stimulator. */
export const DEMO_ROOMS = DEMO_CLINICS.flatMap((c) =>
  [1, 2, 3, 4].map((n) => ({
    clinic: c.slug as DemoClinicSlug,
    name: `Treatment room ${n}`,
    hasStimulator: n <= 2,
  })),
);

export interface DemoPractitioner {
  name: string;
  credentials: string;
  /** Inclusive expiry of the dry-needling certification; null when none is held. */
  dryNeedlingCertExpiresOn: string | null;
  estimQualified: boolean;
  /** The login of the same person, if any. */
  userEmail?: string;
  /** Where they work, on which ISO weekdays. */
  clinics: { slug: DemoClinicSlug; weekdays: number[] }[];
}

export const DEMO_PRACTITIONERS: DemoPractitioner[] = [
  {
    name: 'Eleanor Whitcombe',
    credentials: 'MCSP, HCPC',
    dryNeedlingCertExpiresOn: '2027-09-30',
    estimQualified: true,
    clinics: [
      { slug: 'london-bridge', weekdays: [1, 3, 5] },
      { slug: 'manchester', weekdays: [2, 4] },
    ],
  },
  {
    name: 'Rhys Calloway',
    credentials: 'MCSP',
    dryNeedlingCertExpiresOn: '2028-03-31',
    estimQualified: false,
    clinics: [{ slug: 'london-bridge', weekdays: DEMO_WEEKDAYS }],
  },
  // Certification lapsed: the slot engine must not offer them dry-needling appointments.
  {
    name: 'Priya Anand',
    credentials: 'MCSP, MSc',
    dryNeedlingCertExpiresOn: '2026-06-30',
    estimQualified: true,
    clinics: [{ slug: 'manchester', weekdays: DEMO_WEEKDAYS }],
  },
  {
    name: 'Tomasz Wierzbicki',
    credentials: 'MCSP',
    dryNeedlingCertExpiresOn: '2027-05-31',
    estimQualified: true,
    clinics: [{ slug: 'manchester', weekdays: [1, 3, 5] }],
  },
  {
    name: 'Pat Practitioner',
    credentials: 'PT, DPT, CMTPT',
    dryNeedlingCertExpiresOn: '2027-12-31',
    estimQualified: true,
    userEmail: 'practitioner@tautline.test',
    clinics: [{ slug: 'new-york-chelsea', weekdays: DEMO_WEEKDAYS }],
  },
  {
    name: 'Marisol Vega',
    credentials: 'PT, DPT',
    dryNeedlingCertExpiresOn: '2028-01-31',
    estimQualified: false,
    clinics: [{ slug: 'new-york-chelsea', weekdays: DEMO_WEEKDAYS }],
  },
  // No certification: evaluations only.
  {
    name: 'Jonah Feldstein',
    credentials: 'PT, DPT',
    dryNeedlingCertExpiresOn: null,
    estimQualified: false,
    clinics: [{ slug: 'new-york-chelsea', weekdays: [2, 4] }],
  },
];

export const DEMO_APPOINTMENT_TYPES = [
  {
    name: 'Dry needling 30 min',
    durationMinutes: 30,
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 10,
    requiresDryNeedlingCert: true,
    usesEstim: false,
    colour: '#1f7a8c',
  },
  {
    name: 'Dry needling + e-stim 45 min',
    durationMinutes: 45,
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 10,
    requiresDryNeedlingCert: true,
    usesEstim: true,
    colour: '#e07a5f',
  },
  {
    name: 'Initial evaluation 60 min',
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    requiresDryNeedlingCert: false,
    usesEstim: false,
    colour: '#3d405b',
  },
] as const;

export interface DemoPatient {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  clinic: DemoClinicSlug;
  phone: string | null;
  email: string | null;
  preferredChannel: 'sms' | 'email';
  consents: { kind: 'dry_needling' | 'estim'; signedOn: string; version: string }[];
  /** Codes of the contraindication catalogue in packages/domain. */
  contraindications: { code: string; notedOn: string; note?: string }[];
}

const DN = { kind: 'dry_needling', signedOn: '2026-02-02', version: 'DN-2026.1' } as const;
const ES = { kind: 'estim', signedOn: '2026-02-02', version: 'ES-2026.1' } as const;

/** The patient's time zone is their home clinic's. */
export const DEMO_PATIENTS: DemoPatient[] = [
  {
    givenName: 'Olivia',
    familyName: 'Marsh',
    dateOfBirth: '1984-03-12',
    clinic: 'london-bridge',
    phone: '+447700900101',
    email: 'olivia.marsh@example.com',
    preferredChannel: 'sms',
    consents: [DN, ES],
    contraindications: [],
  },
  // Pacemaker: dry needling allowed, e-stim never.
  {
    givenName: 'Kwame',
    familyName: 'Mensah',
    dateOfBirth: '1971-11-02',
    clinic: 'london-bridge',
    phone: '+447700900102',
    email: null,
    preferredChannel: 'sms',
    consents: [DN, ES],
    contraindications: [
      { code: 'pacemaker', notedOn: '2026-02-10', note: 'Dual-chamber, fitted 2019' },
    ],
  },
  {
    givenName: 'Hannah',
    familyName: 'Lockwood',
    dateOfBirth: '1990-07-21',
    clinic: 'london-bridge',
    phone: null,
    email: 'hannah.lockwood@example.com',
    preferredChannel: 'email',
    consents: [DN],
    contraindications: [],
  },
  // Anticoagulants: relative, bookable only with a practitioner's override and reason.
  {
    givenName: 'George',
    familyName: 'Pemberton',
    dateOfBirth: '1958-05-30',
    clinic: 'manchester',
    phone: '+447700900104',
    email: 'george.pemberton@example.com',
    preferredChannel: 'sms',
    consents: [DN, ES],
    contraindications: [
      { code: 'anticoagulants', notedOn: '2026-03-01', note: 'Warfarin, INR monitored' },
    ],
  },
  {
    givenName: 'Aisha',
    familyName: 'Rahman',
    dateOfBirth: '1995-01-14',
    clinic: 'manchester',
    phone: '+447700900105',
    email: 'aisha.rahman@example.com',
    preferredChannel: 'email',
    consents: [DN],
    contraindications: [],
  },
  // No consent signed yet: screening blocks every needling appointment.
  {
    givenName: 'Declan',
    familyName: 'Fitzgerald',
    dateOfBirth: '1979-09-08',
    clinic: 'manchester',
    phone: '+447700900106',
    email: null,
    preferredChannel: 'sms',
    consents: [],
    contraindications: [],
  },
  {
    givenName: 'Sofia',
    familyName: 'Castellanos',
    dateOfBirth: '1988-04-03',
    clinic: 'new-york-chelsea',
    phone: '+12125550123',
    email: 'sofia.castellanos@example.com',
    preferredChannel: 'sms',
    consents: [DN, ES],
    contraindications: [],
  },
  {
    givenName: 'Marcus',
    familyName: 'Thornbury',
    dateOfBirth: '1966-12-19',
    clinic: 'new-york-chelsea',
    phone: '+12125550124',
    email: 'marcus.thornbury@example.com',
    preferredChannel: 'email',
    consents: [DN],
    contraindications: [
      { code: 'diabetes', notedOn: '2026-01-20', note: 'Type 2, diet controlled' },
    ],
  },
  {
    givenName: 'Yuki',
    familyName: 'Tanabe',
    dateOfBirth: '1992-08-27',
    clinic: 'new-york-chelsea',
    phone: '+12125550125',
    email: 'yuki.tanabe@example.com',
    preferredChannel: 'sms',
    consents: [DN, ES],
    contraindications: [],
  },
  {
    givenName: 'Brendan',
    familyName: "O'Halloran",
    dateOfBirth: '1975-02-11',
    clinic: 'new-york-chelsea',
    phone: '+12125550126',
    email: null,
    preferredChannel: 'sms',
    consents: [DN],
    contraindications: [],
  },
];
