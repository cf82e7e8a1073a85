import { loadEnv } from '@tautline/config';
import { freePort, startTestSmtpServer, type TestSmtpServer } from '@tautline/queues';
import { randomUUID } from 'node:crypto';
import { SmtpEmailChannel } from './email.channel';
import {
  type OutboundMessage,
  PermanentDeliveryError,
  TransientDeliveryError,
} from './message-channel';

const REJECTED = 'no-such-patient@example.org';
const MAILBOX_FULL = 'mailbox-full@example.org';

const channelFor = (port: number, timeoutMs = 2_000) =>
  new SmtpEmailChannel(
    loadEnv({
      NODE_ENV: 'test',
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      EMAIL_FROM: 'London Bridge Physio <reminders@tautline.test>',
      MESSAGE_PROVIDER_TIMEOUT_MS: String(timeoutMs),
    }),
  );

const reminder = (to = 'maya.okafor@example.org'): OutboundMessage => ({
  reminderId: randomUUID(),
  organisationId: randomUUID(),
  clinicId: randomUUID(),
  channel: 'email',
  to,
  subject: 'Your dry needling appointment tomorrow at 09:00',
  text: 'See you at London Bridge tomorrow at 09:00.\nReply C to confirm.',
});

/** The SMTP channel against a real SMTP server: what arrived is read back from the server. */
describe('SmtpEmailChannel (real SMTP server)', () => {
  let smtp: TestSmtpServer;
  let channel: SmtpEmailChannel;

  beforeAll(async () => {
    smtp = await startTestSmtpServer({
      rejectRecipients: { [REJECTED]: 550, [MAILBOX_FULL]: 452 },
    });
    channel = channelFor(smtp.port);
  });

  afterAll(async () => {
    await channel.close();
    await smtp.stop();
  });

  it('delivers the reminder with its subject, text, sender and a Message-ID keyed by the reminder', async () => {
    const message = reminder();
    const receipt = await channel.send(message);
    const [mail] = await smtp.waitForMessages(1);
    expect(mail).toMatchObject({
      messageId: `<reminder-${message.reminderId}@tautline>`,
      from: 'reminders@tautline.test',
      to: ['maya.okafor@example.org'],
      envelope: { from: 'reminders@tautline.test', to: ['maya.okafor@example.org'] },
      subject: message.subject,
      text: expect.stringContaining(
        'See you at London Bridge tomorrow at 09:00.\nReply C to confirm.',
      ),
    });
    expect(mail?.headers.from).toMatch(/^"?London Bridge Physio"? <reminders@tautline\.test>$/);
    expect(mail?.headers['x-tautline-reminder']).toBe(message.reminderId);
    expect(mail?.headers['message-id']).toBe(`<reminder-${message.reminderId}@tautline>`);
    expect(receipt).toEqual({ providerMessageId: `<reminder-${message.reminderId}@tautline>` });
  });

  it('treats a 550 for the recipient as permanent, without naming the address', async () => {
    const before = smtp.messages.length;
    const failure = await channel.send(reminder(REJECTED)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentDeliveryError);
    expect((failure as Error).message).toMatch(/550/);
    expect((failure as Error).message).not.toContain(REJECTED);
    expect(smtp.messages.length).toBe(before);
  });

  it('treats a 4xx for the recipient as transient', async () => {
    await expect(channel.send(reminder(MAILBOX_FULL))).rejects.toBeInstanceOf(
      TransientDeliveryError,
    );
  });

  it('treats a refused connection as transient', async () => {
    const nowhere = channelFor(await freePort());
    try {
      await expect(nowhere.send(reminder())).rejects.toBeInstanceOf(TransientDeliveryError);
    } finally {
      await nowhere.close();
    }
  });
});

describe('SmtpEmailChannel against a server slower than the timeout', () => {
  let smtp: TestSmtpServer;
  let channel: SmtpEmailChannel;
  let started = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer({
      holdFirstMessageMs: 1_500,
      onMessageStart: () => started++,
    });
    channel = channelFor(smtp.port, 300);
  });

  afterAll(async () => {
    await channel.close();
    await smtp.stop();
  });

  it('gives up as transient, and the server, never having answered 250, keeps nothing', async () => {
    await expect(channel.send(reminder())).rejects.toBeInstanceOf(TransientDeliveryError);
    expect(started).toBe(1);
    await new Promise((r) => setTimeout(r, 1_600)); // past the hold
    expect(smtp.messages).toHaveLength(0);
  });

  it('delivers on the retry', async () => {
    const message = reminder();
    await channel.send(message);
    expect(smtp.messages.map((m) => m.messageId)).toEqual([
      `<reminder-${message.reminderId}@tautline>`,
    ]);
  });
});
