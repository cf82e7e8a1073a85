import { loadEnv } from '@tautline/config';
import { freePort, startRecordingSmsServer, type RecordingSmsServer } from '@tautline/queues';
import { randomUUID } from 'node:crypto';
import {
  type OutboundMessage,
  PermanentDeliveryError,
  TransientDeliveryError,
} from './message-channel';
import { HttpSmsChannel } from './sms.channel';

const settings = (url: string, extra: Record<string, string> = {}) =>
  loadEnv({
    NODE_ENV: 'test',
    SMS_TRANSPORT: 'http',
    SMS_API_URL: url,
    SMS_FROM: '+447700900111',
    MESSAGE_PROVIDER_TIMEOUT_MS: '2000',
    ...extra,
  });

const PHONE = '+447700900123';
const TEXT =
  'Tautline: dry needling at London Bridge tomorrow 09:00. Reply C to confirm, X to cancel.';

const reminder = (): OutboundMessage => ({
  reminderId: randomUUID(),
  organisationId: randomUUID(),
  clinicId: randomUUID(),
  channel: 'sms',
  to: PHONE,
  text: TEXT,
});

/** Errors are stored on the reminder row: they never carry the patient's number or the text. */
async function failureOf(send: Promise<unknown>): Promise<Error> {
  const failure = await send.then(
    () => new Error('expected the send to fail'),
    (e: unknown) => e as Error,
  );
  expect(failure.message).not.toContain(PHONE);
  expect(failure.message).not.toContain('London Bridge');
  return failure;
}

/** The HTTP SMS channel against a real, recording SMS API. */
describe('HttpSmsChannel (real SMS API server)', () => {
  let sms: RecordingSmsServer;
  let channel: HttpSmsChannel;

  beforeAll(async () => {
    sms = await startRecordingSmsServer();
    channel = new HttpSmsChannel(settings(sms.url));
  });

  afterAll(() => sms.stop());

  it('posts the form with Basic auth and the reminder id as idempotency key', async () => {
    const message = reminder();
    const receipt = await channel.send(message);
    const request = sms.requests.at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      path: '/2010-04-01/Accounts/AC-local-development/Messages.json',
      form: { To: PHONE, From: '+447700900111', Body: TEXT },
      basicAuth: { username: 'AC-local-development', password: 'local-development-token' },
    });
    expect(request?.headers['idempotency-key']).toBe(message.reminderId);
    expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const [delivered] = await sms.waitForDelivered(1);
    expect(delivered).toMatchObject({
      to: PHONE,
      from: '+447700900111',
      body: TEXT,
      idempotencyKey: message.reminderId,
    });
    expect(receipt).toEqual({ providerMessageId: delivered?.sid });
    expect(delivered?.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('sends a reminder once however often it is retried', async () => {
    const message = reminder();
    const before = sms.delivered.length;
    const first = await channel.send(message);
    const second = await channel.send(message);
    expect(second).toEqual(first);
    expect(sms.delivered.length - before).toBe(1);
    expect(
      sms.requests.filter((r) => r.headers['idempotency-key'] === message.reminderId),
    ).toHaveLength(2);
  });

  it('treats a 503 as transient, and the next attempt goes through', async () => {
    const message = reminder();
    sms.failNext(1);
    const failure = await failureOf(channel.send(message));
    expect(failure).toBeInstanceOf(TransientDeliveryError);
    expect(failure.message).toMatch(/503/);
    expect(sms.delivered.some((d) => d.idempotencyKey === message.reminderId)).toBe(false);
    await channel.send(message);
    expect(sms.delivered.filter((d) => d.idempotencyKey === message.reminderId)).toHaveLength(1);
  });

  it("treats a 400 as permanent, keeping the provider's code", async () => {
    sms.rejectNext(1);
    const failure = await failureOf(channel.send(reminder()));
    expect(failure).toBeInstanceOf(PermanentDeliveryError);
    expect(failure.message).toMatch(/400: 21211/);
  });

  it('treats refused credentials as transient (a configuration fault, fixed without losing the reminder)', async () => {
    const wrongToken = new HttpSmsChannel(settings(sms.url, { SMS_AUTH_TOKEN: 'not-the-token' }));
    const failure = await failureOf(wrongToken.send(reminder()));
    expect(failure).toBeInstanceOf(TransientDeliveryError);
    expect(failure.message).toMatch(/401/);
  });

  it('treats an unreachable provider as transient', async () => {
    const nowhere = new HttpSmsChannel(settings(`http://127.0.0.1:${await freePort()}`));
    const failure = await failureOf(nowhere.send(reminder()));
    expect(failure).toBeInstanceOf(TransientDeliveryError);
    expect(failure.message).toMatch(/ECONNREFUSED/);
  });
});

describe('HttpSmsChannel against a provider slower than the timeout', () => {
  let sms: RecordingSmsServer;

  beforeAll(async () => {
    sms = await startRecordingSmsServer({ holdFirstRequestMs: 3_000 });
  });

  afterAll(() => sms.stop());

  it('gives up as transient; the retry gets the message the provider already queued, not a second one', async () => {
    const channel = new HttpSmsChannel(settings(sms.url, { MESSAGE_PROVIDER_TIMEOUT_MS: '300' }));
    const message = reminder();
    const failure = await failureOf(channel.send(message));
    expect(failure).toBeInstanceOf(TransientDeliveryError);
    expect(failure.message).toMatch(/timed out after 300 ms/);
    const [queued] = await sms.waitForDelivered(1);

    const retry = await channel.send(message);
    expect(retry).toEqual({ providerMessageId: queued?.sid });
    expect(sms.delivered).toHaveLength(1);
  });
});
