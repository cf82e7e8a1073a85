/**
 * Patients and their screening records (consents, contraindications).
 * Part of migration 1764100000000-scheduling: frozen with it, never edited afterwards.
 */
export const patientsUp = [
  `CREATE TABLE patients (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    -- Home clinic. Not a cascade: a clinic with patients is not deleted by accident.
    clinic_id uuid NOT NULL,
    given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
    family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
    date_of_birth date NOT NULL CHECK (date_of_birth >= DATE '1900-01-01'),
    phone text CONSTRAINT patients_phone_e164 CHECK (phone ~ '^[+][1-9][0-9]{6,14}$'),
    email text CONSTRAINT patients_email_shape
      CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    preferred_channel text NOT NULL CHECK (preferred_channel IN ('sms', 'email')),
    -- IANA zone for reminders; the API defaults it to the home clinic's zone.
    time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, organisation_id),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id),
    -- Reminders must have somewhere to go on the chosen channel.
    CONSTRAINT patients_channel_reachable CHECK (
      (preferred_channel = 'sms' AND phone IS NOT NULL) OR (preferred_channel = 'email' AND email IS NOT NULL)
    )
  )`,
  `CREATE INDEX patients_clinic_idx ON patients (clinic_id)`,
  `CREATE INDEX patients_name_idx ON patients (organisation_id, lower(family_name), lower(given_name))`,
  `CREATE TABLE patient_consents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('dry_needling', 'estim')),
    signed_on date NOT NULL,
    version text NOT NULL CHECK (length(version) BETWEEN 1 AND 40),
    UNIQUE (patient_id, kind, version),
    FOREIGN KEY (patient_id, organisation_id) REFERENCES patients(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE TABLE patient_contraindications (
    patient_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    -- A code of the catalogue in packages/domain (screening.catalogue.ts). Checked for shape only,
    -- so adding a code to the catalogue needs no migration.
    code text NOT NULL CHECK (code ~ '^[a-z][a-z_]{0,59}$'),
    noted_on date NOT NULL,
    note text CHECK (length(note) <= 2000),
    PRIMARY KEY (patient_id, code),
    FOREIGN KEY (patient_id, organisation_id) REFERENCES patients(id, organisation_id) ON DELETE CASCADE
  )`,
];

export const patientsDown = [
  `DROP TABLE patient_contraindications`,
  `DROP TABLE patient_consents`,
  `DROP TABLE patients`,
];
