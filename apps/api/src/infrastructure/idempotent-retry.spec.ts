import { TokenService } from '../auth/token.service';
import { BookingService } from '../scheduling/booking.service';
import { IdempotencyService } from '../scheduling/idempotency.service';
import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { TenantScope } from '../tenancy/tenant-scope';
import {
  FAST_DATABASE_BOUNDS,
  startTcpProxy,
  throughRelay,
  type TcpProxy,
} from '../testing/tcp-proxy';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * A booking whose client gave up during a database stall may still commit when the network heals.
 * Its retry with the same Idempotency-Key must get that booking back, never a 409 against it.
 */
describe('Idempotency-Key retries across a database stall (real PostgreSQL behind a TCP relay)', () => {
  let t: TestApp;
  let pg: TcpProxy;
  let f: BookingFixture;
  let scheduler: string;

  beforeAll(async () => {
    pg = await startTcpProxy(5432);
    t = await startTestApp('idem-retry', FAST_DATABASE_BOUNDS, throughRelay(pg));
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
  }, 60_000);
  afterAll(async () => {
    pg.restore();
    await t.close();
    await pg.close();
  });

  const booking = (start: string) => ({
    clinicId: f.londonBridge,
    patientId: f.olivia,
    practitionerId: f.rhys,
    appointmentTypeId: f.dryNeedling30,
    start,
  });
  const rowsAt = async (start: string) =>
    (await t.db.dataSource.query(
      `SELECT id FROM appointments WHERE patient_id = $1 AND starts_at = $2`,
      [f.olivia, start],
    )) as { id: string }[];

  it('the COMMIT stalls, the client gives up, the server answers 503; after restore the retry replays the one booking', async () => {
    const body = booking(upcoming(4, '14:00'));
    const post = (signal?: AbortSignal) =>
      t.request('/api/v1/appointments', {
        method: 'POST',
        token: scheduler,
        headers: { 'idempotency-key': 'stalled-commit-1' },
        json: body,
        signal,
      });

    // The statement itself ("COMMIT" NUL-terminated), not "START TRANSACTION … READ COMMITTED".
    pg.stallOn('COMMIT\0');
    await expect(post(AbortSignal.timeout(1_500))).rejects.toThrow();
    expect(pg.mode()).toBe('stall');
    // The server gives up on the COMMIT's answer too (a 503 nobody reads) and drops that connection.
    const deadline = Date.now() + 10_000;
    while (!t.logs.some((l) => l.event === 'db.unavailable') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(t.logs.some((l) => l.event === 'db.unavailable')).toBe(true);

    // The network heals: the held COMMIT reaches PostgreSQL as the retry goes out.
    pg.restore();
    const retry = await post();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await retry.json()) as { id: string };
    expect(await rowsAt(body.start)).toEqual([{ id: replayed.id }]);
  }, 30_000);

  it('an earlier attempt that commits between the retry’s look for a stored answer and its checks is replayed, not a 409', async () => {
    const body = booking(upcoming(4, '15:00'));
    const { user } = await t.app.get(TokenService).authenticate(scheduler);
    const scope = TenantScope.of(user);
    const service = t.app.get(IdempotencyService);
    const bookings = t.app.get(BookingService);
    const fingerprint = IdempotencyService.fingerprint('POST', '/api/v1/appointments', body);
    const prepare = async () => {
      const write = await bookings.prepareCreate(scope, user, body);
      return async (tx: Parameters<typeof write>[0]) => ({ status: 201, body: await write(tx) });
    };

    let firstId: string | undefined;
    const retry = await service.run(user, 'late-commit-1', fingerprint, async () => {
      // The retry found no stored answer; now the first attempt (the client gave up on it) commits.
      const first = await service.run(user, 'late-commit-1', fingerprint, prepare);
      firstId = first.body.id;
      // The retry's own checks then see that booking in the practitioner's time.
      return prepare();
    });

    expect(retry).toMatchObject({ status: 201, replayed: true, body: { id: firstId } });
    expect(await rowsAt(body.start)).toEqual([{ id: firstId }]);
  });
});
