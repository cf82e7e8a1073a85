import { DateTime } from 'luxon';
import { type TestApp } from '../../testing/test-app';

/** Ids of the demo seed that booking tests use, looked up by name in the test's own database. */
export interface BookingFixture {
  londonBridge: string;
  manchester: string;
  rhys: string;
  eleanor: string;
  priya: string;
  dryNeedling30: string;
  estim45: string;
  evaluation60: string;
  olivia: string;
  hannah: string;
  kwame: string;
  george: string;
  declan: string;
  rooms: { withStimulator: string[]; plain: string[] };
}

export async function loadBookingFixture(t: TestApp): Promise<BookingFixture> {
  const q = (sql: string, params: unknown[] = []) =>
    t.db.dataSource.query(sql, params) as Promise<{ id: string }[]>;
  const one = async (sql: string, params: unknown[]) => {
    const rows = await q(sql, params);
    if (!rows[0]) throw new Error(`fixture missing: ${params.join(' ')}`);
    return rows[0].id;
  };
  const practitioner = (name: string) =>
    one(`SELECT id FROM practitioners WHERE name = $1`, [name]);
  const type = (name: string) => one(`SELECT id FROM appointment_types WHERE name = $1`, [name]);
  const patient = (given: string) => one(`SELECT id FROM patients WHERE given_name = $1`, [given]);
  const londonBridge = t.demo.clinicIds['london-bridge']!;
  const rooms = await t.db.dataSource.query(
    `SELECT id, has_stimulator FROM rooms WHERE clinic_id = $1 ORDER BY name`,
    [londonBridge],
  );
  return {
    londonBridge,
    manchester: t.demo.clinicIds.manchester!,
    rhys: await practitioner('Rhys Calloway'),
    eleanor: await practitioner('Eleanor Whitcombe'),
    priya: await practitioner('Priya Anand'),
    dryNeedling30: await type('Dry needling 30 min'),
    estim45: await type('Dry needling + e-stim 45 min'),
    evaluation60: await type('Initial evaluation 60 min'),
    olivia: await patient('Olivia'),
    hannah: await patient('Hannah'),
    kwame: await patient('Kwame'),
    george: await patient('George'),
    declan: await patient('Declan'),
    rooms: {
      withStimulator: rooms
        .filter((r: { has_stimulator: boolean }) => r.has_stimulator)
        .map((r: { id: string }) => r.id),
      plain: rooms
        .filter((r: { has_stimulator: boolean }) => !r.has_stimulator)
        .map((r: { id: string }) => r.id),
    },
  };
}

/** A wall-clock time on a weekday at least `weeksAhead` weeks from now, in a zone, as an ISO instant. */
export function upcoming(
  weekday: number,
  time: string,
  zone = 'Europe/London',
  weeksAhead = 1,
): string {
  const [hour, minute] = time.split(':').map(Number);
  let day = DateTime.now().setZone(zone).plus({ weeks: weeksAhead }).startOf('day');
  while (day.weekday !== weekday) day = day.plus({ days: 1 });
  return day.set({ hour, minute }).toUTC().toISO()!;
}
