/**
 * Live e-stim sessions: stimulators (devices), treatment sessions, telemetry samples, safety
 * alerts, per-clinic safety thresholds and staff notifications for escalated alerts.
 * Part of migration 1764300000000-sessions: frozen with it, never edited afterwards.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const SESSION_STATUSES = ['ready', 'running', 'paused', 'completed', 'aborted'];
const ACTIVE = `status IN ('ready', 'running', 'paused')`;
const ALERT_KINDS = [
  'intensity_over_ceiling',
  'intensity_over_device_limit',
  'impedance_out_of_range',
  'intensity_jump',
  'device_offline',
  'session_overrun',
];

export const sessionsUp = [
  // The clinic's lead receives escalated alerts through the reminder channels.
  `ALTER TABLE clinics ADD COLUMN lead_user_id uuid`,
  `ALTER TABLE clinics ADD CONSTRAINT clinics_lead_user_fk FOREIGN KEY (lead_user_id, organisation_id)
     REFERENCES users(id, organisation_id) ON DELETE SET NULL (lead_user_id)`,
  `CREATE TABLE devices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    clinic_id uuid NOT NULL,
    -- The room it is wired in; null while in storage.
    room_id uuid,
    serial text NOT NULL CHECK (serial ~ '^[A-Za-z0-9._-]{1,64}$'),
    model text NOT NULL CHECK (length(model) BETWEEN 1 AND 100),
    firmware text NOT NULL CHECK (length(firmware) BETWEEN 1 AND 40),
    channels integer NOT NULL CHECK (channels BETWEEN 1 AND 8),
    -- SHA-256 of the device key (a 256-bit random secret, shown once); never the key itself.
    key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    -- The key's first characters, so staff can tell keys apart.
    key_hint text NOT NULL CHECK (length(key_hint) BETWEEN 4 AND 16),
    key_rotated_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    last_seen_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, serial),
    UNIQUE (id, organisation_id),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (room_id, clinic_id, organisation_id) REFERENCES rooms(id, clinic_id, organisation_id)
  )`,
  // One stimulator per room.
  `CREATE UNIQUE INDEX devices_one_per_room ON devices (room_id) WHERE room_id IS NOT NULL AND revoked_at IS NULL`,
  `CREATE INDEX devices_clinic_idx ON devices (clinic_id)`,
  `CREATE TABLE clinic_safety_thresholds (
    clinic_id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    -- SafetyThresholds of packages/domain, validated by the API.
    thresholds jsonb NOT NULL CHECK (jsonb_typeof(thresholds) = 'object'),
    updated_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
  `CREATE TABLE treatment_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    room_id uuid NOT NULL,
    device_id uuid NOT NULL,
    appointment_id uuid NOT NULL,
    practitioner_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN (${list(SESSION_STATUSES)})),
    -- The SessionPlan (channels, muscles, ceilings, planned duration) and the thresholds in force at creation.
    plan jsonb NOT NULL CHECK (jsonb_typeof(plan) = 'object'),
    thresholds jsonb NOT NULL CHECK (jsonb_typeof(thresholds) = 'object'),
    planned_duration_minutes integer NOT NULL CHECK (planned_duration_minutes BETWEEN 1 AND 90),
    started_at timestamptz,
    -- Running time before the current run (pauses excluded); the current running stretch began at running_since.
    running_seconds double precision NOT NULL DEFAULT 0 CHECK (running_seconds >= 0),
    running_since timestamptz,
    ended_at timestamptz,
    summary jsonb,
    adverse_event jsonb,
    version integer NOT NULL DEFAULT 1,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, organisation_id),
    CONSTRAINT treatment_sessions_running_since CHECK ((status = 'running') = (running_since IS NOT NULL)),
    CONSTRAINT treatment_sessions_ended CHECK ((status IN ('completed', 'aborted')) = (ended_at IS NOT NULL)),
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id),
    FOREIGN KEY (room_id, clinic_id, organisation_id) REFERENCES rooms(id, clinic_id, organisation_id),
    FOREIGN KEY (device_id, organisation_id) REFERENCES devices(id, organisation_id),
    FOREIGN KEY (appointment_id, organisation_id) REFERENCES appointments(id, organisation_id),
    FOREIGN KEY (practitioner_id, organisation_id) REFERENCES practitioners(id, organisation_id),
    FOREIGN KEY (created_by, organisation_id) REFERENCES users(id, organisation_id)
  )`,
  // A device drives one session at a time; an appointment has at most one live session.
  `CREATE UNIQUE INDEX treatment_sessions_one_per_device ON treatment_sessions (device_id) WHERE ${ACTIVE}`,
  `CREATE UNIQUE INDEX treatment_sessions_one_per_appointment ON treatment_sessions (appointment_id) WHERE ${ACTIVE}`,
  `CREATE INDEX treatment_sessions_clinic_idx ON treatment_sessions (clinic_id, created_at DESC)`,
  `CREATE INDEX treatment_sessions_running_idx ON treatment_sessions (status) WHERE status = 'running'`,
  // Device seq is monotonically increasing per device: (device_id, seq) makes every retry a no-op.
  `CREATE TABLE telemetry_samples (
    device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    seq bigint NOT NULL CHECK (seq >= 0),
    session_id uuid NOT NULL REFERENCES treatment_sessions(id) ON DELETE CASCADE,
    -- The device's clock; received_at is ours.
    at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    battery_pct real NOT NULL CHECK (battery_pct BETWEEN 0 AND 100),
    flags text[] NOT NULL DEFAULT '{}',
    -- [{ channel, intensityMa, frequencyHz, pulseWidthUs, impedanceOhm }]
    channels jsonb NOT NULL CHECK (jsonb_typeof(channels) = 'array'),
    PRIMARY KEY (device_id, seq)
  )`,
  `CREATE INDEX telemetry_samples_session_at_idx ON telemetry_samples (session_id, at)`,
  `CREATE TABLE alerts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    room_id uuid NOT NULL,
    session_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN (${list(ALERT_KINDS)})),
    severity text NOT NULL CHECK (severity IN ('critical', 'warning')),
    channel integer CHECK (channel BETWEEN 1 AND 8),
    muscle text CHECK (muscle ~ '^[a-z][a-z_]{0,59}$'),
    message text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
    value double precision,
    "limit" double precision,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    raised_at timestamptz NOT NULL,
    resolved_at timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by uuid,
    acknowledgement_note text CHECK (length(acknowledgement_note) <= 500),
    escalated_at timestamptz,
    CONSTRAINT alerts_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
    CONSTRAINT alerts_acknowledged CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
    FOREIGN KEY (session_id, organisation_id) REFERENCES treatment_sessions(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (acknowledged_by, organisation_id) REFERENCES users(id, organisation_id)
  )`,
  // An alert stays one alert while its condition holds: at most one unresolved per session, kind and channel.
  `CREATE UNIQUE INDEX alerts_one_open ON alerts (session_id, kind, coalesce(channel, 0)) WHERE status <> 'resolved'`,
  `CREATE INDEX alerts_clinic_raised_idx ON alerts (clinic_id, raised_at DESC)`,
  `CREATE INDEX alerts_escalation_idx ON alerts (raised_at) WHERE status = 'open' AND severity = 'critical' AND escalated_at IS NULL`,
  // Escalations to the clinic's lead, sent once each through the reminder channels (email).
  `CREATE TABLE staff_notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL,
    clinic_id uuid NOT NULL,
    alert_id uuid NOT NULL UNIQUE REFERENCES alerts(id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    destination text NOT NULL CHECK (length(destination) <= 254),
    -- The rendered message (staff-facing: room, channel, muscle; never patient names).
    subject text NOT NULL CHECK (length(subject) <= 300),
    body text NOT NULL CHECK (length(body) <= 2000),
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sending', 'sent', 'failed')),
    -- A sender holds it until then; a crashed sender's claim runs out and the sweep sends it again.
    lease_until timestamptz,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    provider_message_id text,
    last_error text CHECK (length(last_error) <= 500),
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE CASCADE
  )`,
];

export const sessionsDown = [
  `DROP TABLE staff_notifications`,
  `DROP TABLE alerts`,
  `DROP TABLE telemetry_samples`,
  `DROP TABLE treatment_sessions`,
  `DROP TABLE clinic_safety_thresholds`,
  `DROP TABLE devices`,
  `ALTER TABLE clinics DROP CONSTRAINT clinics_lead_user_fk`,
  `ALTER TABLE clinics DROP COLUMN lead_user_id`,
];
