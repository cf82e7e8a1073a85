import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { type SMTPServerSession } from 'smtp-server';

/**
 * Real local message providers for tests: an SMTP server and an SMS API shaped like the
 * mainstream ones. Channels are tested against what actually arrives, never against mocks.
 * The SMTP libraries load on first use, so processes importing this package never pay for them.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil<T>(what: string, items: T[], n: number, ms: number): Promise<T[]> {
  const deadline = Date.now() + ms;
  while (items.length < n) {
    if (Date.now() > deadline)
      throw new Error(`expected ${n} ${what}, got ${items.length} within ${ms} ms`);
    await sleep(10);
  }
  return items;
}

// ---------------------------------------------------------------- SMTP

export interface ReceivedEmail {
  messageId: string | undefined;
  /** The From header's address (its display name is in `headers.from`). */
  from: string;
  /** Addresses of the To header. */
  to: string[];
  /** What the client said in MAIL FROM / RCPT TO. */
  envelope: { from: string; to: string[] };
  subject: string;
  text: string;
  /** Raw header values keyed by lower-case name (the last one wins). */
  headers: Record<string, string>;
}

export interface TestSmtpServerOptions {
  /** Delays accepting the first message, so a test can stop the sender mid-send. */
  holdFirstMessageMs?: number;
  /** Fires when a message's DATA begins. */
  onMessageStart?: () => void;
  /** Recipients refused at RCPT TO, with the reply code (550: for good, 450: try later). */
  rejectRecipients?: Record<string, number>;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  /** Messages the server accepted (250 after DATA), in order. */
  messages: ReceivedEmail[];
  waitForMessages(n: number, ms?: number): Promise<ReceivedEmail[]>;
  stop(): Promise<void>;
}

const addressOf = (a: SMTPServerSession['envelope']['mailFrom']) => (a ? a.address : '');

export async function startTestSmtpServer(
  options: TestSmtpServerOptions = {},
): Promise<TestSmtpServer> {
  const messages: ReceivedEmail[] = [];
  const closedSessions = new Set<string>();
  const rejections = new Map(
    Object.entries(options.rejectRecipients ?? {}).map(([a, c]) => [a.toLowerCase(), c]),
  );
  let held = false;
  const [{ SMTPServer }, { simpleParser }] = await Promise.all([
    import('smtp-server'),
    import('mailparser'),
  ]);

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = rejections.get(address.address.toLowerCase());
      if (code === undefined) return callback();
      const err = Object.assign(new Error(`Recipient address rejected`), { responseCode: code });
      callback(err);
    },
    onData(stream, session, callback) {
      options.onMessageStart?.();
      const chunks: Buffer[] = [];
      let complete = false;
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => undefined); // the client went away mid-message: nothing to record
      stream.on('close', () => {
        if (!complete) callback(new Error('message incomplete'));
      });
      stream.on('end', () => {
        complete = true;
        void (async () => {
          if (options.holdFirstMessageMs && !held) {
            held = true;
            await sleep(options.holdFirstMessageMs);
          }
          // SMTP semantics: a message is the server's only once it answers 250 to a live client.
          if (closedSessions.has(session.id)) return callback(new Error('client gone'));
          const mail = await simpleParser(Buffer.concat(chunks));
          const headers: Record<string, string> = {};
          for (const h of mail.headerLines)
            headers[h.key] = h.line.slice(h.line.indexOf(':') + 1).trim();
          const to = [mail.to ?? []].flat().flatMap((o) => o.value.map((v) => v.address ?? ''));
          messages.push({
            messageId: mail.messageId,
            from: mail.from?.value[0]?.address ?? '',
            to,
            envelope: {
              from: addressOf(session.envelope.mailFrom),
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            headers,
          });
          callback();
        })().catch((err: Error) => callback(err));
      });
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
  });
  // A client killed mid-message resets its connection: that is what the crash tests do, not a failure.
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as { port: number };

  return {
    host: '127.0.0.1',
    port,
    messages,
    waitForMessages: (n, ms = 5_000) => waitUntil('emails', messages, n, ms),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of server.connections) c.close();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- SMS

export interface RecordedSmsRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The urlencoded body's fields. */
  form: Record<string, string>;
  /** Decoded HTTP Basic credentials, when sent. */
  basicAuth: { username: string; password: string } | null;
  receivedAt: Date;
}

export interface DeliveredSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  idempotencyKey: string | undefined;
  deliveredAt: Date;
}

export interface RecordingSmsServerOptions {
  /** Answer 503 to the next N requests (nothing delivered). */
  failNext?: number;
  /** Answer 400 to the next N requests (nothing delivered). */
  rejectNext?: number;
  /** Hold the answer to the first delivered message this long, so a test can stop the client mid-send. */
  holdFirstRequestMs?: number;
  /** Take this long to accept each message: it is delivered (and answered) only then. */
  deliverAfterMs?: number;
  /** Hold the answer to every delivered message this long (a slow provider). */
  answerDelayMs?: number;
  /**
   * Deliver every POST, even one repeating an `Idempotency-Key` (a provider that does not
   * de-duplicate): a client's second send is a second text. The key is still recorded for lookups.
   */
  ignoreIdempotencyKey?: boolean;
  onRequest?: (request: RecordedSmsRequest) => void;
  /** Defaults match the local defaults of SMS_ACCOUNT_SID / SMS_AUTH_TOKEN. */
  accountSid?: string;
  authToken?: string;
}

export interface RecordingSmsServer {
  /** Base URL, as SMS_API_URL. */
  url: string;
  requests: RecordedSmsRequest[];
  delivered: DeliveredSms[];
  waitForDelivered(n: number, ms?: number): Promise<DeliveredSms[]>;
  failNext(n: number): void;
  rejectNext(n: number): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function decodeBasic(header: string | undefined): RecordedSmsRequest['basicAuth'] {
  const match = /^Basic (.+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? null
    : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * An SMS API that behaves like a real provider (Twilio-shaped): a message fully received is
 * delivered before the answer is written, so it goes out even if the client vanishes, and a
 * repeated `Idempotency-Key` gets the original answer without a second delivery (unless
 * `ignoreIdempotencyKey`). `GET …/Messages.json?IdempotencyKey=<key>` lists what went under a key.
 */
export async function startRecordingSmsServer(
  options: RecordingSmsServerOptions = {},
): Promise<RecordingSmsServer> {
  const accountSid = options.accountSid ?? 'AC-local-development';
  const authToken = options.authToken ?? 'local-development-token';
  const requests: RecordedSmsRequest[] = [];
  const delivered: DeliveredSms[] = [];
  const sidByKey = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  let failing = options.failNext ?? 0;
  let rejecting = options.rejectNext ?? 0;
  let held = false;

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const basicAuth = decodeBasic(req.headers.authorization);
      const recorded: RecordedSmsRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        form,
        basicAuth,
        receivedAt: new Date(),
      };
      requests.push(recorded);
      options.onRequest?.(recorded);

      if (size > MAX_BODY_BYTES)
        return answer(res, 413, { code: 21617, message: 'Request body too large' });
      const sidInPath = MESSAGES_PATH.exec(path)?.[1];
      if ((req.method !== 'POST' && req.method !== 'GET') || sidInPath === undefined) {
        return answer(res, 404, { code: 20404, message: 'The requested resource was not found' });
      }
      if (
        basicAuth?.username !== accountSid ||
        basicAuth.password !== authToken ||
        decodeURIComponent(sidInPath) !== accountSid
      ) {
        return answer(res, 401, { code: 20003, message: 'Authenticate' });
      }
      if (req.method === 'GET') {
        // The lookup: messages sent under an idempotency key, so a client can check before resending.
        const wanted = new URL(req.url ?? '/', 'http://sms').searchParams.get('IdempotencyKey');
        const found = delivered.filter((d) => wanted && d.idempotencyKey === wanted);
        return answer(res, 200, { messages: found.map((d) => ({ sid: d.sid, status: 'sent' })) });
      }
      if (failing > 0) {
        failing--;
        return answer(res, 503, { code: 20503, message: 'Service unavailable' });
      }
      if (rejecting > 0) {
        rejecting--;
        return answer(res, 400, {
          code: 21211,
          message: "The 'To' number is not a valid phone number",
        });
      }
      if (!form.To)
        return answer(res, 400, { code: 21604, message: "A 'To' phone number is required" });
      if (!form.Body) return answer(res, 400, { code: 21602, message: 'Message body is required' });

      const key = req.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(key) ? key[0] : key;
      const replayed =
        idempotencyKey && !options.ignoreIdempotencyKey ? sidByKey.get(idempotencyKey) : undefined;
      if (replayed) {
        res.setHeader('idempotent-replayed', 'true');
        return answer(res, 201, { sid: replayed, status: 'queued' });
      }
      const { To: to, Body: body } = form;
      const deliver = () => {
        const sid = `SM${randomBytes(16).toString('hex')}`;
        if (idempotencyKey && !sidByKey.has(idempotencyKey)) sidByKey.set(idempotencyKey, sid);
        delivered.push({
          sid,
          accountSid,
          to,
          from: form.From ?? '',
          body,
          idempotencyKey,
          deliveredAt: new Date(),
        });

        const reply = () => answer(res, 201, { sid, status: 'queued' });
        const holdMs =
          options.holdFirstRequestMs && !held ? options.holdFirstRequestMs : options.answerDelayMs;
        if (options.holdFirstRequestMs) held = true;
        if (holdMs) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) reply();
          }, holdMs);
          timers.add(timer);
          return;
        }
        reply();
      };
      if (!options.deliverAfterMs) return deliver();
      const timer = setTimeout(() => {
        timers.delete(timer);
        deliver();
      }, options.deliverAfterMs);
      timers.add(timer);
    });
  });
  // A client killed mid-message resets its connection: that is what the crash tests do, not a failure.
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    waitForDelivered: (n, ms = 5_000) => waitUntil('delivered SMS', delivered, n, ms),
    failNext: (n) => {
      failing = n;
    },
    rejectNext: (n) => {
      rejecting = n;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
