/**
 * Patient reminders as an outbox (Key decision 3), reminder policies, the `log` channel's
 * store, inbound SMS replies and opt-outs.
 * Part of migration 1764200000000-reminders: frozen with it, never edited afterwards.
 */

/** Outbound message kinds: reminders, and the one-off answers to keywords. */
const PURPOSES = ['reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help'];
/**
 * `scheduled` (a delayed job exists or the reconciler will make one) → `sending` (claimed by one
 * worker until `lease_until`) → `sent` | `failed`. `skipped`: planned but not sent (reason says
 * why); `cancelled`: withdrawn by a change (reason says which).
 */
const STATUSES = ['scheduled', 'sending', 'sent', 'failed', 'skipped', 'cancelled'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const CODE = `~ '^[a-z][a-z_]{0,39}$'`;

export const remindersUp = [
  // Reminder rows point at their appointment within the same organisation.
  `ALTER TABLE appointments ADD CONSTRAINT appointments_id_organisation_key UNIQUE (id, organisation_id)`,
  // Set when the patient asks for another time (SMS "R"); cleared when the appointment moves.
  `ALTER TABLE appointments ADD COLUMN reschedule_requested_at timestamptz`,
  // Per-channel opt-outs (SMS STOP, email unsubscribe): honoured by jobs already queued.
  `ALTER TABLE patients ADD COLUMN sms_opted_out_at timestamptz, ADD COLUMN email_opted_out_at timestamptz`,
  `CREATE INDEX patients_phone_idx ON patients (phone) WHERE phone IS NOT NULL`,
  `CREATE TABLE reminder_policies (
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    -- Null: the organisation's default; a clinic's row replaces it for that clinic.
    clinic_id uuid,
    -- A ReminderPolicy of packages/domain, validated by the API before it is written.
    policy jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    updated_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reminder_policies_scope UNIQUE NULLS NOT DISTINCT (organisation_id, clinic_id),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (updated_by, organisation_id) REFERENCES users(id, organisation_id) ON DELETE SET NULL (updated_by)
  )`,
  `CREATE TABLE reminders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    appointment_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    purpose text NOT NULL CHECK (purpose IN (${list(PURPOSES)})),
    -- The policy offset (ISO 8601 duration) a reminder was planned from.
    "offset" text CHECK (length("offset") <= 40),
    channel text CHECK (channel IN ('sms', 'email')),
    -- The appointment's start when planned: the worker skips the row if the appointment moved.
    appointment_starts_at timestamptz NOT NULL,
    nominal_at timestamptz,
    due_at timestamptz,
    status text NOT NULL CHECK (status IN (${list(STATUSES)})),
    -- Skip, cancel or failure code (in_past, rescheduled, opted_out, provider_rejected, …).
    reason text CHECK (reason ${CODE}),
    moved_for_quiet_hours boolean NOT NULL DEFAULT false,
    delayed_for_change_grace boolean NOT NULL DEFAULT false,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    lease_until timestamptz,
    -- Operational error text from a provider; never message content.
    last_error text CHECK (length(last_error) <= 500),
    -- Where it went (E.164 phone or email): replies are matched to the last reminder sent there.
    destination text CHECK (length(destination) <= 254),
    provider_message_id text CHECK (length(provider_message_id) <= 200),
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reminders_pending_has_due CHECK (status NOT IN ('scheduled', 'sending') OR (due_at IS NOT NULL AND channel IS NOT NULL)),
    CONSTRAINT reminders_sent_complete CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CONSTRAINT reminders_reason_given CHECK (status NOT IN ('skipped', 'cancelled', 'failed') OR reason IS NOT NULL),
    FOREIGN KEY (appointment_id, organisation_id) REFERENCES appointments(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (patient_id, organisation_id) REFERENCES patients(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX reminders_appointment_idx ON reminders (appointment_id, created_at)`,
  // The reconciler's scan: everything still to send, by due time.
  `CREATE INDEX reminders_pending_due_idx ON reminders (due_at) WHERE status IN ('scheduled', 'sending')`,
  // Inbound SMS: the last reminder sent to a number.
  `CREATE INDEX reminders_destination_sent_idx ON reminders (destination, sent_at DESC) WHERE status = 'sent'`,
  `CREATE INDEX reminders_patient_idx ON reminders (patient_id) WHERE status IN ('scheduled', 'sending')`,
  // What the \`log\` channel "sent": the rendered message, so a person trying Tautline can read it.
  `CREATE TABLE message_log (
    reminder_id uuid PRIMARY KEY REFERENCES reminders(id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    clinic_id uuid NOT NULL,
    channel text NOT NULL CHECK (channel IN ('sms', 'email')),
    destination text NOT NULL CHECK (length(destination) <= 254),
    subject text CHECK (length(subject) <= 300),
    body text NOT NULL CHECK (length(body) <= 10000),
    logged_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX message_log_clinic_idx ON message_log (clinic_id, logged_at DESC)`,
  // Replies to reminders; the provider's message id makes a redelivered webhook a no-op.
  `CREATE TABLE inbound_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_message_id text NOT NULL UNIQUE CHECK (length(provider_message_id) BETWEEN 1 AND 200),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    appointment_id uuid NOT NULL,
    -- The reminder it answers (the last one sent to that number).
    reminder_id uuid REFERENCES reminders(id) ON DELETE SET NULL,
    from_phone text NOT NULL CHECK (from_phone ~ '^[+][1-9][0-9]{6,14}$'),
    body text NOT NULL CHECK (length(body) <= 1600),
    keyword text NOT NULL CHECK (keyword IN ('confirm', 'reschedule', 'opt_out', 'opt_in', 'help', 'unknown')),
    outcome text NOT NULL CHECK (outcome ${CODE}),
    received_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (appointment_id, organisation_id) REFERENCES appointments(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (patient_id, organisation_id) REFERENCES patients(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX inbound_messages_patient_idx ON inbound_messages (patient_id, received_at DESC)`,
];

export const remindersDown = [
  `DROP TABLE inbound_messages`,
  `DROP TABLE message_log`,
  `DROP TABLE reminders`,
  `DROP TABLE reminder_policies`,
  `DROP INDEX patients_phone_idx`,
  `ALTER TABLE patients DROP COLUMN sms_opted_out_at, DROP COLUMN email_opted_out_at`,
  `ALTER TABLE appointments DROP COLUMN reschedule_requested_at`,
  `ALTER TABLE appointments DROP CONSTRAINT appointments_id_organisation_key`,
];
