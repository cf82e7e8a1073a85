/**
 * Appointments and the final guard against double booking (Key decision 2).
 * Part of migration 1764100000000-scheduling: frozen with it, never edited afterwards.
 *
 * `occupied` is the time the booking takes from practitioner, room and patient: the
 * appointment plus its buffers, half-open `[)` so back-to-back bookings do not touch.
 * It cannot be a generated column: `timestamptz ± interval` is only STABLE in PostgreSQL
 * (a month or day interval depends on the session's TimeZone), and PostgreSQL 15 refuses a
 * generation expression that is not IMMUTABLE ("generation expression is not immutable").
 * A BEFORE INSERT OR UPDATE trigger computes it instead and overwrites whatever a client
 * sent, so it is always derived from the row. Minute-only intervals do not depend on the
 * time zone, so the value is the same whatever the session's TimeZone is.
 *
 * SERIALISATION. Exclusion constraints alone are correct but deadlock under contention: two
 * transactions inserting conflicting rows each find the other's uncommitted row, each waits
 * for the other, and PostgreSQL aborts one with 40P01 only after deadlock_timeout. Fifty
 * simultaneous requests for one practitioner became dozens of deadlocks and tens of seconds
 * on a loaded machine. So the same trigger takes transaction-scoped advisory locks on the
 * row's practitioner, room and patient, in one global order, before the row reaches the
 * indexes. Any two conflicting rows share one of those resources, so their writers queue on
 * that lock instead; the second one then meets the committed first one and fails at once
 * with the named exclusion violation (23P01). Non-conflicting bookings of other resources
 * are not held up. A transaction writing several rows (a series) can still deadlock with
 * another in rare interleavings: the service retries 40P01 a bounded number of times.
 */

/** Every status the domain state machine knows (packages/domain appointment.state-machine.ts). */
const STATUSES = [
  'booked',
  'confirmed',
  'checked_in',
  'in_session',
  'completed',
  'cancelled',
  'no_show',
];

/**
 * Rows that hold time. Only `cancelled` frees it. `no_show` keeps it: the slot was held for
 * the patient until they failed to come, the room and practitioner were really reserved, and
 * the history must say so; reusing the rest of a missed slot is a deliberate new booking
 * around it, not something that happens because a status flipped. The slot engine's
 * `occupiesTime` in packages/domain says the same.
 */
const OCCUPYING = `status <> 'cancelled'`;

const noOverlap = (resource: 'practitioner' | 'room' | 'patient') =>
  `ALTER TABLE appointments ADD CONSTRAINT appointments_no_${resource}_overlap
     EXCLUDE USING gist (${resource}_id WITH =, occupied WITH &&) WHERE (${OCCUPYING})`;

export const appointmentsUp = [
  `CREATE FUNCTION appointments_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     lock_key bigint;
   BEGIN
     -- Leave inverted rows to the named CHECK constraints instead of failing inside tstzrange().
     IF NEW.ends_at > NEW.starts_at THEN
       NEW.occupied := tstzrange(
         NEW.starts_at - make_interval(mins => greatest(NEW.buffer_before_minutes, 0)),
         NEW.ends_at + make_interval(mins => greatest(NEW.buffer_after_minutes, 0)),
         '[)');
     ELSE
       NEW.occupied := 'empty'::tstzrange;
     END IF;
     IF TG_OP = 'UPDATE' THEN
       NEW.updated_at := now();
     END IF;
     -- Queue writers that could conflict, locking in one global key order (SERIALISATION above).
     IF NEW.${OCCUPYING} AND (TG_OP = 'INSERT' OR OLD.status = 'cancelled'
         OR NEW.occupied IS DISTINCT FROM OLD.occupied OR NEW.practitioner_id <> OLD.practitioner_id
         OR NEW.room_id <> OLD.room_id OR NEW.patient_id <> OLD.patient_id) THEN
       FOR lock_key IN
         SELECT k FROM unnest(ARRAY[
           hashtextextended('tautline:booking:practitioner:' || NEW.practitioner_id, 0),
           hashtextextended('tautline:booking:room:' || NEW.room_id, 0),
           hashtextextended('tautline:booking:patient:' || NEW.patient_id, 0)]) AS k
         ORDER BY k
       LOOP
         PERFORM pg_advisory_xact_lock(lock_key);
       END LOOP;
     END IF;
     RETURN NEW;
   END
   $$`,
  `CREATE TABLE appointments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    clinic_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    practitioner_id uuid NOT NULL,
    room_id uuid NOT NULL,
    appointment_type_id uuid NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    -- Copied from the type at booking, so editing the type never moves existing bookings.
    buffer_before_minutes integer NOT NULL CHECK (buffer_before_minutes BETWEEN 0 AND 120),
    buffer_after_minutes integer NOT NULL CHECK (buffer_after_minutes BETWEEN 0 AND 120),
    -- Maintained by the appointments_before_write trigger (see above); never written by clients.
    occupied tstzrange NOT NULL,
    status text NOT NULL DEFAULT 'booked'
      CONSTRAINT appointments_status_known CHECK (status IN (${STATUSES.map((s) => `'${s}'`).join(', ')})),
    -- Optimistic locking: updates say WHERE version = $seen and bump it.
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- Occurrences booked together as a course share this id.
    series_id uuid,
    screening_override_reason text CHECK (length(btrim(screening_override_reason)) BETWEEN 1 AND 2000),
    -- The practitioner who accepted a relative contraindication (the domain's ScreeningOverride).
    overridden_by uuid,
    cancelled_reason text CHECK (length(btrim(cancelled_reason)) BETWEEN 1 AND 500),
    -- Null when the patient cancelled through a reminder link.
    cancelled_by uuid,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT appointments_ends_after_starts CHECK (ends_at > starts_at),
    CONSTRAINT appointments_duration_limit CHECK (ends_at - starts_at <= interval '480 minutes'),
    CONSTRAINT appointments_override_complete CHECK ((screening_override_reason IS NULL) = (overridden_by IS NULL)),
    CONSTRAINT appointments_cancellation_consistent CHECK (
      (status = 'cancelled') = (cancelled_reason IS NOT NULL) AND (cancelled_by IS NULL OR status = 'cancelled')
    ),
    -- "Refers to" references: no cascade, so history cannot vanish with a room or a patient.
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id),
    FOREIGN KEY (patient_id, organisation_id) REFERENCES patients(id, organisation_id),
    FOREIGN KEY (practitioner_id, organisation_id) REFERENCES practitioners(id, organisation_id),
    -- The room must be in the appointment's clinic, not only in its organisation.
    FOREIGN KEY (room_id, clinic_id, organisation_id) REFERENCES rooms(id, clinic_id, organisation_id),
    FOREIGN KEY (appointment_type_id, organisation_id) REFERENCES appointment_types(id, organisation_id),
    FOREIGN KEY (overridden_by, organisation_id) REFERENCES practitioners(id, organisation_id),
    FOREIGN KEY (cancelled_by, organisation_id) REFERENCES users(id, organisation_id),
    FOREIGN KEY (created_by, organisation_id) REFERENCES users(id, organisation_id)
  )`,
  `CREATE TRIGGER appointments_before_write BEFORE INSERT OR UPDATE ON appointments
     FOR EACH ROW EXECUTE FUNCTION appointments_before_write()`,
  // The API maps each constraint name to the resource its 409 names.
  noOverlap('practitioner'),
  noOverlap('room'),
  noOverlap('patient'),
  // Calendar reads by clinic and day/week (cancelled rows included).
  `CREATE INDEX appointments_clinic_starts_idx ON appointments (clinic_id, starts_at)`,
  // Slot search: one range query for everything that holds time in a clinic (occupied && window).
  `CREATE INDEX appointments_clinic_occupied_idx ON appointments USING gist (clinic_id, occupied) WHERE ${OCCUPYING}`,
  // Practitioner / patient / room calendars, ICS feeds and foreign-key checks on delete.
  `CREATE INDEX appointments_practitioner_starts_idx ON appointments (practitioner_id, starts_at)`,
  `CREATE INDEX appointments_patient_starts_idx ON appointments (patient_id, starts_at)`,
  `CREATE INDEX appointments_room_starts_idx ON appointments (room_id, starts_at)`,
  `CREATE INDEX appointments_series_idx ON appointments (series_id) WHERE series_id IS NOT NULL`,
];

export const appointmentsDown = [
  `DROP TABLE appointments`,
  `DROP FUNCTION appointments_before_write()`,
];
