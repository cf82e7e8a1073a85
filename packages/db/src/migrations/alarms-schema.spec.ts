import {
  createSchedulingWorld,
  insertAppointment,
  pgFailure,
  type SchedulingWorld,
} from '../testing/scheduling-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const PLAN = {
  plannedDurationMinutes: 20,
  channels: [
    {
      channel: 1,
      muscle: 'infraspinatus',
      side: 'right',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 18,
    },
  ],
};

/** The alarms migration (1764450000000): latched alerts, snapshots, acknowledgement history, reversible. */
describe('alarms schema', () => {
  let db: TestDatabase;
  let w: SchedulingWorld;
  let sessionId: string;
  const q = <T = { id: string }>(sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<T[]>;
  const insertAlert = (set: string, params: unknown[] = []) =>
    q(
      `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, message, value, "limit", raised_at, ${set.split('|')[0]})
       SELECT organisation_id, clinic_id, room_id, id, $2, $3, 1, 'Room 1 · channel 1: 23.5 mA', 23.5, 18, now() - interval '1 min', ${set.split('|')[1]}
         FROM treatment_sessions WHERE id = $1 RETURNING id`,
      [sessionId, ...params],
    );

  beforeAll(async () => {
    db = await createTestDatabase('alarms-schema');
    w = await createSchedulingWorld(db.dataSource, 'alarms');
    const appointmentId = await insertAppointment(db.dataSource, w, {
      startsAt: '2030-01-07T10:00:00Z',
      minutes: 30,
    });
    const [device] = await q(
      `INSERT INTO devices (organisation_id, clinic_id, room_id, serial, model, firmware, channels, key_hash, key_hint)
       VALUES ($1, $2, $3, 'SIM-ALARMS', 'Sim', '1.0.0', 4, encode(sha256('k'::bytea), 'hex'), 'tld_test') RETURNING id`,
      [w.organisationId, w.clinicId, w.roomIds[0]],
    );
    const [session] = await q(
      `INSERT INTO treatment_sessions (organisation_id, clinic_id, room_id, device_id, appointment_id, practitioner_id, status, plan,
         thresholds, planned_duration_minutes, started_at, running_since, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, '{}', 20, now(), now(), $8) RETURNING id`,
      [
        w.organisationId,
        w.clinicId,
        w.roomIds[0],
        device!.id,
        appointmentId,
        w.practitionerIds[0],
        JSON.stringify(PLAN),
        w.userId,
      ],
    );
    sessionId = session!.id;
  });
  afterAll(() => db.drop());
  afterEach(() => q(`DELETE FROM alerts`));

  it('latches only an unanswered critical whose condition cleared', async () => {
    await expect(
      insertAlert('status, cleared_at|$4, now()', [
        'intensity_over_ceiling',
        'critical',
        'latched',
      ]),
    ).resolves.toHaveLength(1);
    await q(`DELETE FROM alerts`);
    for (const [severity, set] of [
      ['warning', 'status, cleared_at|$4, now()'],
      ['critical', 'status|$4'],
    ] as const)
      expect(
        (await pgFailure(insertAlert(set, ['intensity_over_ceiling', severity, 'latched'])))
          .constraint,
      ).toBe('alerts_latched');
  });

  it('keeps a latched alert the one unresolved row of its condition', async () => {
    await insertAlert('status, cleared_at|$4, now()', [
      'intensity_over_ceiling',
      'critical',
      'latched',
    ]);
    expect(
      (await pgFailure(insertAlert('status|$4', ['intensity_over_ceiling', 'critical', 'open'])))
        .constraint,
    ).toBe('alerts_one_open');
  });

  it('keeps acknowledgements within the organisation', async () => {
    const [alert] = await insertAlert('status|$4', ['intensity_jump', 'warning', 'open']);
    const ack = (org: string, clinic: string, user: string) =>
      q(
        `INSERT INTO alert_acknowledgements (organisation_id, clinic_id, alert_id, user_id, kind) VALUES ($1, $2, $3, $4, 'acknowledged') RETURNING id`,
        [org, clinic, alert!.id, user],
      );
    await expect(ack(w.organisationId, w.clinicId, w.userId)).resolves.toHaveLength(1);
    const other = await createSchedulingWorld(db.dataSource, 'alarms-other');
    await expect(ack(other.organisationId, other.clinicId, other.userId)).rejects.toThrow(
      /foreign key/,
    );
    await expect(ack(w.organisationId, w.clinicId, other.userId)).rejects.toThrow(/foreign key/);
  });

  it('backfills snapshots, cleared_at and the acknowledgement history, and reverts', async () => {
    const alarms = db.dataSource.migrations.findIndex((m) => m.name === 'Alarms1764450000000');
    for (let n = db.dataSource.migrations.length; n > alarms; n -= 1)
      await db.dataSource.undoLastMigration();
    const [old] = await q(
      `INSERT INTO alerts (organisation_id, clinic_id, room_id, session_id, kind, severity, channel, message, raised_at,
         status, resolved_at, acknowledged_at, acknowledged_by, acknowledgement_note)
       SELECT organisation_id, clinic_id, room_id, id, 'intensity_over_ceiling', 'critical', 1, 'm', now() - interval '2 min',
         'resolved', now(), now() - interval '1 min', $2, 'turned down'
         FROM treatment_sessions WHERE id = $1 RETURNING id`,
      [sessionId, w.userId],
    );
    await db.dataSource.runMigrations();

    const [row] = await q<Record<string, unknown>>(
      `SELECT a.side, a.clinic_name, a.room_name, a.patient_initials, a.occurrences, a.acknowledged_by_name,
              a.cleared_at = a.resolved_at AS cleared, c.name AS clinic, r.name AS room, u.name AS user_name
         FROM alerts a JOIN clinics c ON c.id = a.clinic_id JOIN rooms r ON r.id = a.room_id JOIN users u ON u.id = a.acknowledged_by
        WHERE a.id = $1`,
      [old!.id],
    );
    expect(row).toMatchObject({ side: 'right', occurrences: 1, cleared: true });
    expect(row!.clinic_name).toBe(row!.clinic);
    expect(row!.room_name).toBe(row!.room);
    expect(row!.acknowledged_by_name).toBe(row!.user_name);
    expect(row!.patient_initials).toMatch(/^[A-Z]{2}$/);
    const history = await q<Record<string, unknown>>(
      `SELECT kind, note, user_id FROM alert_acknowledgements WHERE alert_id = $1`,
      [old!.id],
    );
    expect(history).toEqual([{ kind: 'acknowledged', note: 'turned down', user_id: w.userId }]);

    // Down again with a latched alert: the old model resolves it.
    await q(`DELETE FROM alerts`);
    const [latched] = await insertAlert('status, cleared_at|$4, now()', [
      'device_offline',
      'critical',
      'latched',
    ]);
    await db.dataSource.undoLastMigration();
    const [after] = await q<{ status: string; resolved: boolean }>(
      `SELECT status, resolved_at IS NOT NULL AS resolved FROM alerts WHERE id = $1`,
      [latched!.id],
    );
    expect(after).toEqual({ status: 'resolved', resolved: true });
    await db.dataSource.runMigrations();
    expect(await db.dataSource.showMigrations()).toBe(false);
  });
});
