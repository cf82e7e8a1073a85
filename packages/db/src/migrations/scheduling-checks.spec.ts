import {
  createSchedulingWorld,
  insertAppointment,
  pgFailure,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

describe('scheduling schema: check constraints (real PostgreSQL)', () => {
  let db: TestDatabase;
  const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase('schedchecks');
  });
  afterAll(() => db.drop());

  describe('check constraints', () => {
    let w: SchedulingWorld;
    beforeAll(async () => {
      w = await createSchedulingWorld(db.dataSource, 'checks');
    });

    it.each([
      [
        'patients_phone_e164',
        `UPDATE patients SET phone = '07700 900123' WHERE id = $1`,
        'patient',
      ],
      [
        'patients_channel_reachable',
        `UPDATE patients SET preferred_channel = 'email' WHERE id = $1`,
        'patient',
      ],
      [
        'appointment_types_colour_hex',
        `UPDATE appointment_types SET colour = 'teal' WHERE id = $1`,
        'type',
      ],
      [
        'appointment_types_estim_needs_cert',
        `UPDATE appointment_types SET uses_estim = true, requires_dry_needling_cert = false WHERE id = $1`,
        'type',
      ],
      [
        'appointments_ends_after_starts',
        `UPDATE appointments SET ends_at = starts_at - interval '5 minutes' WHERE id = $1`,
        'appointment',
      ],
      [
        'appointments_cancellation_consistent',
        `UPDATE appointments SET status = 'cancelled' WHERE id = $1`,
        'appointment',
      ],
      [
        'appointments_status_known',
        `UPDATE appointments SET status = 'postponed' WHERE id = $1`,
        'appointment',
      ],
      [
        'appointments_override_complete',
        `UPDATE appointments SET screening_override_reason = 'INR stable' WHERE id = $1`,
        'appointment',
      ],
    ] as const)('%s', async (constraint, sql, subject) => {
      const appointment = await insertAppointment(db.dataSource, w, {
        startsAt: '2026-05-04T09:00:00Z',
        minutes: 30,
        patient: 1,
      });
      const id = { patient: w.patientIds[0], type: w.appointmentTypeId, appointment }[subject];
      const err = await pgFailure(q(sql, [id]));
      expect({ code: err.code, constraint: err.constraint }).toEqual({ code: '23514', constraint });
      await q(`DELETE FROM appointments WHERE id = $1`, [appointment]);
    });

    it.each([
      ['availability_rules_weekday_iso', 8, '09:00', '12:00', null],
      ['availability_rules_end_after_start', 1, '12:00', '09:00', null],
      ['availability_rules_effective_order', 1, '09:00', '12:00', '2025-12-31'],
    ])('availability rule: %s', async (constraint, weekday, start, end, effectiveTo) => {
      const err = await pgFailure(
        q(
          `INSERT INTO availability_rules (organisation_id, practitioner_id, clinic_id, weekday, start_time, end_time, effective_from, effective_to)
           VALUES ($1, $2, $3, $4, $5, $6, '2026-01-01', $7)`,
          [w.organisationId, w.practitionerIds[0], w.clinicId, weekday, start, end, effectiveTo],
        ),
      );
      expect(err.constraint).toBe(constraint);
    });

    it.each([
      ['availability_exceptions_during_bounded', 'time_off', 'empty', true],
      ['availability_exceptions_during_bounded', 'time_off', '[2026-01-01T00:00Z,)', true],
      [
        'availability_exceptions_extra_hours_clinic',
        'extra_hours',
        '[2026-01-01T09:00Z,2026-01-01T12:00Z)',
        false,
      ],
    ])('availability exception: %s (%s %s)', async (constraint, kind, during, withClinic) => {
      const err = await pgFailure(
        q(
          `INSERT INTO availability_exceptions (organisation_id, practitioner_id, clinic_id, kind, during) VALUES ($1, $2, $3, $4, $5)`,
          [w.organisationId, w.practitionerIds[0], withClinic ? w.clinicId : null, kind, during],
        ),
      );
      expect(err.constraint).toBe(constraint);
    });

    it('accepts a valid E.164 number and keeps audit details an object', async () => {
      await q(`UPDATE patients SET phone = '+12125550123' WHERE id = $1`, [w.patientIds[0]]);
      const err = await pgFailure(
        q(
          `INSERT INTO audit_events (organisation_id, action, subject_type, outcome, details) VALUES ($1, 'Patient read', 'patient', 'success', '{}')`,
          [w.organisationId],
        ),
      );
      expect(err.constraint).toBe('audit_events_action_code');
    });
  });
});
