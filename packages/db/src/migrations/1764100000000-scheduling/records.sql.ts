/**
 * Idempotency keys for booking requests and the audit trail.
 * Part of migration 1764100000000-scheduling: frozen with it, never edited afterwards.
 */
export const recordsUp = [
  `CREATE TABLE idempotency_keys (
    organisation_id uuid NOT NULL,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    user_id uuid NOT NULL,
    -- Digest of method, path and body: the same key with another request is a 409.
    request_hash text NOT NULL CHECK (length(request_hash) BETWEEN 1 AND 128),
    -- Null while the first request is still being handled.
    response_status integer CHECK (response_status BETWEEN 100 AND 599),
    response_body jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, key),
    FOREIGN KEY (user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE CASCADE
  )`,
  // Expiry sweeps delete by age.
  `CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`,
  // No PHI here: ids, codes and outcomes only. The code-shaped CHECKs keep free text out of
  // action, subject_type and outcome; details must stay ids-only by convention.
  `CREATE TABLE audit_events (
    id bigserial PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    -- A clinic of this organisation; a foreign id a caller tried goes in subject_id instead.
    clinic_id uuid,
    actor_user_id uuid,
    action text NOT NULL CONSTRAINT audit_events_action_code
      CHECK (length(action) <= 80 AND action ~ '^[a-z][a-z_]*([.][a-z][a-z_]*)*$'),
    subject_type text NOT NULL CHECK (subject_type ~ '^[a-z][a-z_]{0,59}$'),
    subject_id uuid,
    outcome text NOT NULL CHECK (outcome ~ '^[a-z][a-z_]{0,39}$'),
    at timestamptz NOT NULL DEFAULT now(),
    details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    -- The trail outlives the clinic and the user it mentions.
    FOREIGN KEY (clinic_id, organisation_id) REFERENCES clinics(id, organisation_id) ON DELETE SET NULL (clinic_id),
    FOREIGN KEY (actor_user_id, organisation_id) REFERENCES users(id, organisation_id) ON DELETE SET NULL (actor_user_id)
  )`,
  `CREATE INDEX audit_events_org_at_idx ON audit_events (organisation_id, at)`,
  `CREATE INDEX audit_events_subject_idx ON audit_events (subject_id, at) WHERE subject_id IS NOT NULL`,
];

export const recordsDown = [`DROP TABLE audit_events`, `DROP TABLE idempotency_keys`];
