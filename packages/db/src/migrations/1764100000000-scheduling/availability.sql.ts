/**
 * Weekly availability (local wall-clock time, read in the clinic's zone), one-off exceptions
 * and clinic closures (real instants). Part of migration 1764100000000-scheduling.
 */
const BOUNDED = (col: string) =>
  `NOT isempty(${col}) AND NOT lower_inf(${col}) AND NOT upper_inf(${col})`;

export const availabilityUp = [
  `CREATE TABLE availability_rules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    practitioner_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    -- ISO weekday: Monday = 1 … Sunday = 7.
    weekday smallint NOT NULL CONSTRAINT availability_rules_weekday_iso CHECK (weekday BETWEEN 1 AND 7),
    start_time time NOT NULL,
    end_time time NOT NULL,
    effective_from date NOT NULL,
    -- Last local day the rule applies (inclusive); null while open-ended.
    effective_to date,
    CONSTRAINT availability_rules_end_after_start CHECK (end_time > start_time),
    CONSTRAINT availability_rules_effective_order CHECK (effective_to IS NULL OR effective_to >= effective_from),
    -- The same interval twice is a mistake (and the natural key the demo seed upserts on).
    CONSTRAINT availability_rules_natural_key UNIQUE (practitioner_id, clinic_id, weekday, start_time, effective_from),
    FOREIGN KEY (practitioner_id, organisation_id) REFERENCES practitioners(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE,
    -- Only at a clinic the practitioner works at; leaving the clinic removes the rules.
    FOREIGN KEY (practitioner_id, clinic_id) REFERENCES practitioner_clinics(practitioner_id, clinic_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX availability_rules_clinic_idx ON availability_rules (clinic_id, practitioner_id)`,
  `CREATE TABLE availability_exceptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    practitioner_id uuid NOT NULL,
    -- Null: time off at every clinic. Extra hours must say where they are worked.
    clinic_id uuid,
    kind text NOT NULL CHECK (kind IN ('time_off', 'extra_hours')),
    during tstzrange NOT NULL CONSTRAINT availability_exceptions_during_bounded CHECK (${BOUNDED('during')}),
    reason text CHECK (length(reason) <= 200),
    CONSTRAINT availability_exceptions_extra_hours_clinic CHECK (kind <> 'extra_hours' OR clinic_id IS NOT NULL),
    FOREIGN KEY (practitioner_id, organisation_id) REFERENCES practitioners(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (practitioner_id, clinic_id) REFERENCES practitioner_clinics(practitioner_id, clinic_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX availability_exceptions_practitioner_during_idx ON availability_exceptions USING gist (practitioner_id, during)`,
  `CREATE TABLE clinic_closures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    -- A whole local day is stored as that day's instants in the clinic's zone.
    during tstzrange NOT NULL CONSTRAINT clinic_closures_during_bounded CHECK (${BOUNDED('during')}),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX clinic_closures_clinic_during_idx ON clinic_closures USING gist (clinic_id, during)`,
];

export const availabilityDown = [
  `DROP TABLE clinic_closures`,
  `DROP TABLE availability_exceptions`,
  `DROP TABLE availability_rules`,
];
