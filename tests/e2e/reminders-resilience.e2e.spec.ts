import {
  createRedisConnection,
  type RecordingSmsServer,
  startRecordingSmsServer,
  startTestSmtpServer,
  startThrowawayRedis,
  type TestSmtpServer,
  type ThrowawayRedis,
} from '@tautline/queues';
import {
  type ApiClient,
  book,
  eventually,
  gridStartAfter,
  offsetDueIn,
  openExtraHours,
  setTestPolicy,
  signIn,
} from '../support/booking-client';
import { startStack, type Stack } from '../support/stack';

const MINUTE = 60_000;
/** The api and worker processes with real SMS and SMTP servers; a Redis of the test's own when it will lose it. */
const FAST = {
  MESSAGE_PROVIDER_TIMEOUT_MS: '2500',
  REMINDER_LEASE_MS: '3000',
  REMINDER_BACKOFF_MS: '200',
  REMINDER_RECONCILE_EVERY_MS: '1000',
};

interface World {
  stack: Stack;
  admin: ApiClient;
  scheduler: ApiClient;
  ids: Record<string, string>;
}

async function world(stack: Stack): Promise<World> {
  const q = (sql: string, v: string) =>
    stack.db.dataSource.query(sql, [v]) as Promise<{ id: string }[]>;
  const ids: Record<string, string> = { londonBridge: stack.demo.clinicIds['london-bridge']! };
  for (const [key, name] of [
    ['rhys', 'Rhys Calloway'],
    ['eleanor', 'Eleanor Whitcombe'],
  ]) {
    ids[key!] = (await q(`SELECT id FROM practitioners WHERE name = $1`, name!))[0]!.id;
  }
  for (const given of ['Olivia', 'Hannah', 'Kwame']) {
    ids[given.toLowerCase()] = (
      await q(`SELECT id FROM patients WHERE given_name = $1`, given)
    )[0]!.id;
  }
  ids.type = (
    await q(`SELECT id FROM appointment_types WHERE name = $1`, 'Dry needling 30 min')
  )[0]!.id;
  const admin = await signIn(stack.apiUrl, 'admin@tautline.test');
  const scheduler = await signIn(stack.apiUrl, 'scheduler@tautline.test');
  await openExtraHours(admin, ids.rhys!, ids.londonBridge!);
  await openExtraHours(admin, ids.eleanor!, ids.londonBridge!);
  return { stack, admin, scheduler, ids };
}

/** Books `patient` with `practitioner` at `start`, its one reminder due `dueInMs` from now; answers the row id. */
async function bookWithReminderDueIn(
  w: World,
  patient: string,
  practitioner: string,
  start: Date,
  dueInMs: number,
) {
  await setTestPolicy(w.admin, w.ids.londonBridge!, [offsetDueIn(start, dueInMs)]);
  const appointment = await book(w.scheduler, {
    clinicId: w.ids.londonBridge!,
    patientId: w.ids[patient]!,
    practitionerId: w.ids[practitioner]!,
    appointmentTypeId: w.ids.type!,
    start,
  });
  const [row] = (await w.stack.db.dataSource.query(
    `SELECT id FROM reminders WHERE appointment_id = $1 AND status = 'scheduled'`,
    [appointment.id],
  )) as { id: string }[];
  return row!.id;
}

const rowOf = async (stack: Stack, id: string) =>
  (
    (await stack.db.dataSource.query(
      `SELECT status, attempts, provider_message_id FROM reminders WHERE id = $1`,
      [id],
    )) as {
      status: string;
      attempts: number;
      provider_message_id: string | null;
    }[]
  )[0]!;

describe('reminders survive a worker killed mid-send', () => {
  let w: World;
  let sms: RecordingSmsServer;
  let smtp: TestSmtpServer;
  let smsArrived!: () => void;
  let mailArrived!: () => void;
  const smsStarted = new Promise<void>((resolve) => (smsArrived = resolve));
  const mailStarted = new Promise<void>((resolve) => (mailArrived = resolve));

  beforeAll(async () => {
    // Each server holds its first message unanswered, so the test can kill the worker in the middle of it.
    // The SMS provider does not de-duplicate: a blind resend would be a second text.
    sms = await startRecordingSmsServer({
      holdFirstRequestMs: 60_000,
      ignoreIdempotencyKey: true,
      onRequest: () => smsArrived(),
    });
    smtp = await startTestSmtpServer({
      holdFirstMessageMs: 60_000,
      onMessageStart: () => mailArrived(),
    });
    const stack = await startStack('e2e-crash', {
      env: {
        ...FAST,
        SMS_TRANSPORT: 'http',
        SMS_API_URL: sms.url,
        EMAIL_TRANSPORT: 'smtp',
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
      },
    });
    w = await world(stack);
  }, 90_000);
  afterAll(async () => {
    await w?.stack.stop();
    await Promise.all([sms?.stop(), smtp?.stop()]);
  });

  it('SMS: SIGKILL after the provider took the message, restart → still exactly one message', async () => {
    const id = await bookWithReminderDueIn(w, 'olivia', 'rhys', gridStartAfter(30 * MINUTE), 1_000);
    await smsStarted;
    await w.stack.killWorker('SIGKILL');
    expect(await rowOf(w.stack, id)).toMatchObject({ status: 'sending', attempts: 1 });
    await w.stack.startWorker();
    const row = await eventually(async () => {
      const r = await rowOf(w.stack, id);
      return r.status === 'sent' && r;
    }, 30_000);
    // The retry asked the provider what went out under the row's key instead of sending blindly.
    expect(sms.requests.filter((r) => r.headers['idempotency-key'] === id)).toHaveLength(1);
    expect(
      sms.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Messages.json')),
    ).toHaveLength(1);
    const delivered = sms.delivered.filter((d) => d.idempotencyKey === id);
    expect(delivered).toHaveLength(1);
    expect(row).toMatchObject({ attempts: 2, provider_message_id: delivered[0]!.sid });
  });

  it('email: SIGKILL during SMTP DATA, restart → exactly one message arrives', async () => {
    const id = await bookWithReminderDueIn(
      w,
      'hannah',
      'eleanor',
      gridStartAfter(30 * MINUTE),
      1_000,
    );
    await mailStarted;
    await w.stack.killWorker('SIGKILL');
    await w.stack.startWorker();
    await eventually(async () => (await rowOf(w.stack, id)).status === 'sent', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages.filter((m) => m.messageId === `<reminder-${id}@tautline>`)).toHaveLength(
      1,
    );
  });
});

describe('reminders survive a graceful shutdown during slow sends', () => {
  let w: World;
  let sms: RecordingSmsServer;

  beforeAll(async () => {
    // Takes each message at once and answers 4 s later, and does not de-duplicate.
    sms = await startRecordingSmsServer({ answerDelayMs: 4_000, ignoreIdempotencyKey: true });
    const stack = await startStack('e2e-sigterm', {
      env: {
        ...FAST,
        MESSAGE_PROVIDER_TIMEOUT_MS: '6000',
        REMINDER_LEASE_MS: '8000',
        REMINDER_SHUTDOWN_GRACE_MS: '7000',
        SMS_TRANSPORT: 'http',
        SMS_API_URL: sms.url,
      },
    });
    w = await world(stack);
  }, 90_000);
  afterAll(async () => {
    await w?.stack.stop();
    await sms?.stop();
  });

  it('SIGTERM while the provider holds the answers → the worker waits, every reminder is delivered exactly once', async () => {
    const start = gridStartAfter(30 * MINUTE);
    const ids = [
      await bookWithReminderDueIn(w, 'olivia', 'rhys', start, 3_000),
      await bookWithReminderDueIn(w, 'kwame', 'eleanor', start, 3_000),
      await bookWithReminderDueIn(
        w,
        'olivia',
        'rhys',
        new Date(start.getTime() + 60 * MINUTE),
        3_000,
      ),
      await bookWithReminderDueIn(
        w,
        'kwame',
        'eleanor',
        new Date(start.getTime() + 60 * MINUTE),
        3_000,
      ),
    ];
    await eventually(
      async () => ids.every((id) => sms.delivered.some((d) => d.idempotencyKey === id)),
      20_000,
    );
    const stopping = Date.now();
    await w.stack.killWorker('SIGTERM');
    // It waited for the answers (a 3 s budget would have cut them off) and recorded them.
    expect(Date.now() - stopping).toBeGreaterThan(1_000);
    const rows = await Promise.all(ids.map((id) => rowOf(w.stack, id)));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    await w.stack.startWorker();
    await new Promise((r) => setTimeout(r, 3_000)); // restarted, reconciled, nothing left to send
    for (const id of ids)
      expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(1);
  });
});

describe('reminders survive Redis losing everything', () => {
  let w: World;
  let redis: ThrowawayRedis;
  let sms: RecordingSmsServer;

  beforeAll(async () => {
    redis = await startThrowawayRedis('noeviction');
    sms = await startRecordingSmsServer();
    const stack = await startStack('e2e-flush', {
      redisUrl: redis.url,
      env: { ...FAST, SMS_TRANSPORT: 'http', SMS_API_URL: sms.url },
    });
    w = await world(stack);
  }, 90_000);
  afterAll(async () => {
    await w?.stack.stop();
    await Promise.all([sms?.stop(), redis?.stop()]);
  });

  it('FLUSHALL → the reconciler restores the jobs from PostgreSQL and every reminder is sent exactly once', async () => {
    const start = gridStartAfter(30 * MINUTE);
    const ids = [
      await bookWithReminderDueIn(w, 'olivia', 'rhys', start, 7_000),
      await bookWithReminderDueIn(w, 'kwame', 'eleanor', start, 7_500),
      await bookWithReminderDueIn(
        w,
        'olivia',
        'rhys',
        new Date(start.getTime() + 45 * MINUTE),
        8_000,
      ),
    ];
    const client = createRedisConnection(redis.url);
    try {
      await eventually(async () => (await client.keys('*:reminders:reminder-*')).length === 3);
      await client.flushall();
      expect(await client.dbsize()).toBe(0);
    } finally {
      client.disconnect();
    }
    await eventually(async () => {
      const rows = await Promise.all(ids.map((id) => rowOf(w.stack, id)));
      return rows.every((r) => r.status === 'sent');
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    for (const id of ids)
      expect(sms.delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(1);
  });
});
