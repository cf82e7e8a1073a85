import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The alarm model (IEC 60601-1-8): a critical alert whose condition cleared before anyone
 * acknowledged it is `latched` (still unresolved, so `alerts_one_open` keeps it the one row of its
 * condition, and a recurrence re-opens it: `occurrences`); an acknowledged alert whose condition
 * persists re-alerts (`realerted_at`, the row's acknowledgement cleared). Every acknowledgement and
 * dismissal is kept in `alert_acknowledgements`. Where (clinic, room, patient initials) and the
 * channel's side are snapshot at raise so an alert reads the same after a rename.
 */
const up = [
  `ALTER TABLE alerts DROP CONSTRAINT alerts_status_check`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_status_check
     CHECK (status IN ('open', 'acknowledged', 'latched', 'resolved'))`,
  `ALTER TABLE alerts
     ADD COLUMN side text CHECK (side IN ('left', 'right', 'midline')),
     ADD COLUMN clinic_name text CHECK (length(clinic_name) <= 200),
     ADD COLUMN room_name text CHECK (length(room_name) <= 200),
     ADD COLUMN patient_initials text CHECK (length(patient_initials) <= 8),
     ADD COLUMN cleared_at timestamptz,
     ADD COLUMN occurrences integer NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
     ADD COLUMN realerted_at timestamptz,
     ADD COLUMN acknowledged_by_name text CHECK (length(acknowledged_by_name) <= 200)`,
  `UPDATE alerts SET cleared_at = resolved_at WHERE resolved_at IS NOT NULL`,
  `UPDATE alerts a SET clinic_name = c.name FROM clinics c WHERE c.id = a.clinic_id`,
  `UPDATE alerts a SET room_name = r.name FROM rooms r WHERE r.id = a.room_id`,
  `UPDATE alerts a SET patient_initials = upper(left(p.given_name, 1) || left(p.family_name, 1))
     FROM treatment_sessions s JOIN appointments ap ON ap.id = s.appointment_id JOIN patients p ON p.id = ap.patient_id
    WHERE s.id = a.session_id`,
  `UPDATE alerts a SET side = ch->>'side'
     FROM treatment_sessions s, jsonb_array_elements(s.plan->'channels') ch
    WHERE s.id = a.session_id AND a.channel IS NOT NULL AND (ch->>'channel')::int = a.channel`,
  `UPDATE alerts a SET acknowledged_by_name = u.name FROM users u WHERE u.id = a.acknowledged_by`,
  // Only an unanswered critical latches, and only once its condition cleared.
  `ALTER TABLE alerts ADD CONSTRAINT alerts_latched CHECK (status <> 'latched' OR
     (severity = 'critical' AND cleared_at IS NOT NULL AND acknowledged_at IS NULL))`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_id_organisation UNIQUE (id, organisation_id)`,
  `CREATE TABLE alert_acknowledgements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    alert_id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('acknowledged', 'dismissed')),
    note text CHECK (length(note) <= 500),
    at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (alert_id, organisation_id) REFERENCES alerts(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id)
  )`,
  `CREATE INDEX alert_acknowledgements_alert_idx ON alert_acknowledgements (alert_id, at)`,
  `INSERT INTO alert_acknowledgements (organisation_id, clinic_id, alert_id, user_id, kind, note, at)
   SELECT organisation_id, clinic_id, id, acknowledged_by, 'acknowledged', acknowledgement_note, acknowledged_at
     FROM alerts WHERE acknowledged_at IS NOT NULL`,
  // Latched criticals escalate too; acknowledged alerts are scanned for re-alert.
  `DROP INDEX alerts_escalation_idx`,
  `CREATE INDEX alerts_escalation_idx ON alerts (raised_at)
     WHERE status IN ('open', 'latched') AND severity = 'critical' AND escalated_at IS NULL`,
  `CREATE INDEX alerts_realert_idx ON alerts (acknowledged_at) WHERE status = 'acknowledged'`,
];

const down = [
  `DROP INDEX alerts_realert_idx`,
  `DROP INDEX alerts_escalation_idx`,
  `CREATE INDEX alerts_escalation_idx ON alerts (raised_at) WHERE status = 'open' AND severity = 'critical' AND escalated_at IS NULL`,
  `DROP TABLE alert_acknowledgements`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_id_organisation`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_latched`,
  // The old model had no latch: a cleared condition resolved its alert.
  `UPDATE alerts SET status = 'resolved', resolved_at = cleared_at WHERE status = 'latched'`,
  `ALTER TABLE alerts
     DROP COLUMN side, DROP COLUMN clinic_name, DROP COLUMN room_name, DROP COLUMN patient_initials,
     DROP COLUMN cleared_at, DROP COLUMN occurrences, DROP COLUMN realerted_at, DROP COLUMN acknowledged_by_name`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_status_check`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_status_check
     CHECK (status IN ('open', 'acknowledged', 'resolved'))`,
];

export class Alarms1764450000000 implements MigrationInterface {
  name = 'Alarms1764450000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of down) await q.query(sql);
  }
}
