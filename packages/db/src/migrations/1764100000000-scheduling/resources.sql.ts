/**
 * Rooms, practitioners (and the clinics they work at) and appointment types.
 * Part of migration 1764100000000-scheduling: frozen with it, never edited afterwards.
 *
 * Tenancy: each table carries organisation_id and references its parents through
 * (id, organisation_id) pairs, so a row can never point into another organisation.
 * "Belongs to" references cascade; "refers to" references (from appointments) do not.
 */
export const resourcesUp = [
  `CREATE TABLE rooms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    has_stimulator boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true,
    UNIQUE (clinic_id, name),
    -- Appointments reference (room, clinic, organisation): the room is in the appointment's clinic.
    UNIQUE (id, clinic_id, organisation_id),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE TABLE practitioners (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id uuid UNIQUE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    credentials text NOT NULL DEFAULT '' CHECK (length(credentials) <= 200),
    -- Last day the certification is valid (inclusive); null when none is held.
    dry_needling_cert_expires_on date,
    estim_qualified boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true,
    UNIQUE (id, organisation_id),
    -- A removed login leaves the practitioner (and their history) in place.
    FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE SET NULL (user_id)
  )`,
  `CREATE TABLE practitioner_clinics (
    practitioner_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    PRIMARY KEY (practitioner_id, clinic_id),
    FOREIGN KEY (practitioner_id, organisation_id) REFERENCES practitioners(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX practitioner_clinics_clinic_idx ON practitioner_clinics (clinic_id)`,
  `CREATE TABLE appointment_types (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 120),
    buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 120),
    requires_dry_needling_cert boolean NOT NULL DEFAULT true,
    uses_estim boolean NOT NULL DEFAULT false,
    colour text NOT NULL CONSTRAINT appointment_types_colour_hex CHECK (colour ~ '^#[0-9a-fA-F]{6}$'),
    active boolean NOT NULL DEFAULT true,
    UNIQUE (organisation_id, name),
    UNIQUE (id, organisation_id),
    -- Intramuscular e-stim goes through the needles, so it is dry needling too (as in the domain schema).
    CONSTRAINT appointment_types_estim_needs_cert CHECK (NOT uses_estim OR requires_dry_needling_cert)
  )`,
];

export const resourcesDown = [
  `DROP TABLE appointment_types`,
  `DROP TABLE practitioner_clinics`,
  `DROP TABLE practitioners`,
  `DROP TABLE rooms`,
];
