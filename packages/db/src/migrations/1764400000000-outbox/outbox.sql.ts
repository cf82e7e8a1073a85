/**
 * One outbox for every outbound message (issue 10 items 5 and 6). The `reminders` table already
 * is the patients' outbox; it now also carries staff messages (`alert_escalation`: a clinic lead's
 * email about an unacknowledged critical alert), which have a staff recipient and pre-rendered
 * content instead of an appointment and patient; CHECKs keep each kind complete. The rows of
 * `staff_notifications` move in and the table goes, so there is one claim/lease/retry/reconcile
 * path. `send_started_at` records when the provider call of the current attempt began: a row
 * found `sending` after a crash, or retried after a timeout, with it set may have reached the
 * provider, and the sender asks the provider before sending again.
 * Part of migration 1764400000000-outbox: frozen with it, never edited afterwards.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const PATIENT_PURPOSES = ['reminder', 'opt_out_confirmation', 'opt_in_confirmation', 'help'];
const STAFF_PURPOSES = ['alert_escalation'];

export const outboxUp = [
  `ALTER TABLE reminders ADD COLUMN send_started_at timestamptz`,
  `ALTER TABLE reminders
     ALTER COLUMN appointment_id DROP NOT NULL,
     ALTER COLUMN patient_id DROP NOT NULL,
     ALTER COLUMN appointment_starts_at DROP NOT NULL,
     -- Staff messages: who receives it, what it is about, and the words (rendered when written).
     ADD COLUMN recipient_user_id uuid,
     ADD COLUMN alert_id uuid REFERENCES alerts(id) ON DELETE CASCADE,
     ADD COLUMN subject text CHECK (length(subject) <= 300),
     ADD COLUMN body text CHECK (length(body) <= 2000),
     ADD CONSTRAINT reminders_recipient_fk FOREIGN KEY (recipient_user_id, organisation_id)
       REFERENCES users(id, organisation_id) ON DELETE CASCADE`,
  `ALTER TABLE reminders DROP CONSTRAINT reminders_purpose_check`,
  `ALTER TABLE reminders ADD CONSTRAINT reminders_purpose_check
     CHECK (purpose IN (${list([...PATIENT_PURPOSES, ...STAFF_PURPOSES])}))`,
  `ALTER TABLE reminders ADD CONSTRAINT reminders_patient_message_complete
     CHECK (purpose NOT IN (${list(PATIENT_PURPOSES)})
            OR (appointment_id IS NOT NULL AND patient_id IS NOT NULL AND appointment_starts_at IS NOT NULL))`,
  `ALTER TABLE reminders ADD CONSTRAINT reminders_staff_message_complete
     CHECK (purpose NOT IN (${list(STAFF_PURPOSES)})
            OR (recipient_user_id IS NOT NULL AND destination IS NOT NULL AND subject IS NOT NULL AND body IS NOT NULL
                AND appointment_id IS NULL AND patient_id IS NULL))`,
  // One escalation email per alert, however many watchdogs race.
  `CREATE UNIQUE INDEX reminders_alert_escalation_key ON reminders (alert_id) WHERE purpose = 'alert_escalation'`,
  `INSERT INTO reminders (id, organisation_id, clinic_id, purpose, channel, due_at, status, reason, attempts, lease_until,
       last_error, destination, provider_message_id, sent_at, created_at, updated_at, recipient_user_id, alert_id, subject, body)
   SELECT id, organisation_id, clinic_id, 'alert_escalation', channel, created_at, status,
          CASE WHEN status = 'failed' THEN 'retries_exhausted' END, attempts, lease_until, last_error, destination,
          provider_message_id, CASE WHEN status = 'sent' THEN coalesce(sent_at, created_at) END, created_at, created_at,
          user_id, alert_id, subject, body
     FROM staff_notifications`,
  `DROP TABLE staff_notifications`,
];

export const outboxDown = [
  `CREATE TABLE staff_notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    alert_id uuid NOT NULL UNIQUE REFERENCES alerts(id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    destination text NOT NULL CHECK (length(destination) <= 254),
    subject text NOT NULL CHECK (length(subject) <= 300),
    body text NOT NULL CHECK (length(body) <= 2000),
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sending', 'sent', 'failed')),
    lease_until timestamptz,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    provider_message_id text,
    last_error text CHECK (length(last_error) <= 500),
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  // Skipped and cancelled escalations had no place there: they count as failed.
  `INSERT INTO staff_notifications (id, organisation_id, clinic_id, alert_id, user_id, channel, destination, subject, body,
       status, lease_until, attempts, provider_message_id, last_error, sent_at, created_at)
   SELECT id, organisation_id, clinic_id, alert_id, recipient_user_id, channel, destination, subject, body,
          CASE WHEN status IN ('skipped', 'cancelled') THEN 'failed' ELSE status END, lease_until, attempts,
          provider_message_id, last_error, sent_at, created_at
     FROM reminders WHERE purpose = 'alert_escalation' AND alert_id IS NOT NULL`,
  `DELETE FROM reminders WHERE purpose IN (${list(STAFF_PURPOSES)})`,
  `DROP INDEX reminders_alert_escalation_key`,
  `ALTER TABLE reminders DROP CONSTRAINT reminders_staff_message_complete`,
  `ALTER TABLE reminders DROP CONSTRAINT reminders_patient_message_complete`,
  `ALTER TABLE reminders DROP CONSTRAINT reminders_purpose_check`,
  `ALTER TABLE reminders ADD CONSTRAINT reminders_purpose_check CHECK (purpose IN (${list(PATIENT_PURPOSES)}))`,
  `ALTER TABLE reminders
     DROP CONSTRAINT reminders_recipient_fk,
     DROP COLUMN body,
     DROP COLUMN subject,
     DROP COLUMN alert_id,
     DROP COLUMN recipient_user_id,
     ALTER COLUMN appointment_starts_at SET NOT NULL,
     ALTER COLUMN patient_id SET NOT NULL,
     ALTER COLUMN appointment_id SET NOT NULL`,
  `ALTER TABLE reminders DROP COLUMN send_started_at`,
];
