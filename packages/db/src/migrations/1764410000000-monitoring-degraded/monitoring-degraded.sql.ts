/**
 * Clinic-level alerts: `monitoring_degraded` (the server refusing a clinic's telemetry under
 * overload) belongs to a clinic, not to a session or room, and has the `technical` severity.
 * Part of migration 1764410000000-monitoring-degraded: frozen with it, never edited afterwards.
 */
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const SESSION_KINDS = [
  'intensity_over_ceiling',
  'intensity_over_device_limit',
  'impedance_out_of_range',
  'intensity_jump',
  'device_offline',
  'session_overrun',
];

export const monitoringDegradedUp = [
  `ALTER TABLE alerts ALTER COLUMN session_id DROP NOT NULL, ALTER COLUMN room_id DROP NOT NULL`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN (${list([...SESSION_KINDS, 'monitoring_degraded'])}))`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_severity_check`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_severity_check CHECK (severity IN ('critical', 'warning', 'technical'))`,
  // Exactly the clinic-level kind has no session (and no room); every other alert keeps both.
  `ALTER TABLE alerts ADD CONSTRAINT alerts_clinic_level CHECK (
     (session_id IS NULL) = (kind = 'monitoring_degraded') AND (room_id IS NULL) = (session_id IS NULL))`,
  // One unresolved clinic-level alert per clinic and kind, however many processes raise it.
  `CREATE UNIQUE INDEX alerts_one_open_per_clinic ON alerts (clinic_id, kind) WHERE session_id IS NULL AND status <> 'resolved'`,
];

export const monitoringDegradedDown = [
  `DELETE FROM alerts WHERE session_id IS NULL`,
  `DROP INDEX alerts_one_open_per_clinic`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_clinic_level`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_severity_check`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_severity_check CHECK (severity IN ('critical', 'warning'))`,
  `ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check`,
  `ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN (${list(SESSION_KINDS)}))`,
  `ALTER TABLE alerts ALTER COLUMN session_id SET NOT NULL, ALTER COLUMN room_id SET NOT NULL`,
];
