import {
  clinicRoom,
  LIVE_NAMESPACE,
  LIVE_UNAVAILABLE,
  PROBLEM_CONTENT_TYPE,
  SubscribeRequest,
  type ClientToServerEvents,
  type ProblemDetails,
  type ServerToClientEvents,
} from '@tautline/domain';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * A real HTTP + socket.io server on 127.0.0.1 for component tests: the app's real `fetch` and its
 * real socket.io client talk to it over the network. It answers the REST routes a test declares,
 * shaped as the API answers (JSON, RFC 9457 problem+json), and implements the part of the `/live`
 * contract the dashboard uses: token check at the handshake, `clinics.subscribe`/`unsubscribe`
 * joining and leaving real `clinic:<id>` rooms. Tests play the worker with
 * `server.io.of(LIVE_NAMESPACE).to(clinicRoom(id)).emit('notice.posted', …)`.
 *
 * One server per test: start it in `beforeEach`, `close()` it in `afterEach`.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/api/v1/clinics`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` when none was sent. */
  body: unknown;
}

export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Rendered as the API's problem filter does: `application/problem+json`, `instance` = the request path. */
  | { problem: Omit<ProblemDetails, 'instance'>; headers?: Record<string, string> };

export type RouteHandler = (
  request: RecordedRequest,
  params: Record<string, string>,
) => Reply | Promise<Reply>;

export function json(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

export function problem(
  status: number,
  title: string,
  detail?: string,
  extra: { errors?: ProblemDetails['errors']; headers?: Record<string, string> } = {},
): Reply {
  const { errors, headers } = extra;
  return {
    problem: { type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) },
    headers,
  };
}

export interface LiveAuth {
  /** The one token the `/live` handshake accepts; any other is refused with `unauthorized`, as the API does. */
  token: string;
  /** The clinics the token's user may watch: `clinics.subscribe` joins these and rejects the rest. */
  clinicIds: readonly string[];
}

export interface LiveRequest {
  event: keyof ClientToServerEvents;
  clinicIds: string[];
}

/** Lets a test hold the server at one step (a handshake, a subscribe ack) and release it. */
export class Gate {
  private waiting: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  /** From now on, `pass()` waits until `open()`. */
  close(): void {
    if (this.release) return;
    this.waiting = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.release?.();
    this.release = null;
    this.waiting = Promise.resolve();
  }

  pass(): Promise<void> {
    return this.waiting;
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export class TestServer {
  /** `http://127.0.0.1:<port>`: what the app gets as its API origin. */
  readonly origin: string;
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Every HTTP request, in arrival order (socket.io's own requests excluded). */
  readonly requests: RecordedRequest[] = [];
  /** The `auth.token` and transport of every `/live` handshake, refused ones included. */
  readonly handshakes: { token: unknown; transport: unknown }[] = [];
  /** Every `clinics.subscribe` / `clinics.unsubscribe` received, in order. */
  readonly liveRequests: LiveRequest[] = [];
  /** The token of every `auth.renew` received, in order. */
  readonly renewals: unknown[] = [];
  /** Why each `/live` socket went away, as socket.io reports it server-side. */
  readonly disconnects: string[] = [];
  /** This many next handshakes are refused with `unavailable`, as the API does while its database is down. */
  unavailableHandshakes = 0;
  /** Closed: handshakes wait before being accepted or refused. */
  readonly handshakeGate = new Gate();
  /** Closed: subscriptions join their rooms but wait before acknowledging. */
  readonly subscribeAckGate = new Gate();
  liveAuth: LiveAuth;

  private readonly routes: Route[] = [];

  constructor(
    private readonly http: ReturnType<typeof createServer>,
    liveAuth: LiveAuth,
  ) {
    const { port } = http.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.liveAuth = liveAuth;
    // Before socket.io attaches: it then passes on every request that is not its own.
    http.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
    this.io = new Server(http, { serveClient: false });
    this.attachLive();
  }

  /** Declares (or replaces) the answer to `method path`; `:name` segments become params. */
  route(method: 'GET' | 'POST', path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const pattern = new RegExp(`^${source}$`);
    const index = this.routes.findIndex(
      (r) => r.method === method && r.pattern.source === pattern.source,
    );
    if (index >= 0) this.routes.splice(index, 1);
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  /** The clinic ids whose live room has at least one socket, sorted. */
  watchedClinics(): string[] {
    const prefix = clinicRoom('');
    return [...this.io.of(LIVE_NAMESPACE).adapter.rooms.entries()]
      .filter(([room, members]) => room.startsWith(prefix) && members.size > 0)
      .map(([room]) => room.slice(prefix.length))
      .sort();
  }

  /** How many `/live` sockets are connected right now. */
  liveSockets(): number {
    return this.io.of(LIVE_NAMESPACE).sockets.size;
  }

  /** Cuts every `/live` connection at the transport, as a network drop would: clients see "transport close" and reconnect. */
  dropLiveConnections(): void {
    for (const socket of this.io.of(LIVE_NAMESPACE).sockets.values()) socket.conn.close();
  }

  async close(): Promise<void> {
    this.handshakeGate.open();
    this.subscribeAckGate.open();
    // io.close() disconnects every socket, closes the engine, then the HTTP server.
    const closed = new Promise<void>((resolve, reject) => {
      void this.io.close((error) => (error ? reject(error) : resolve()));
    });
    this.http.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      send(
        res,
        path,
        problem(400, 'Bad Request', 'Body is not valid JSON', {
          errors: [{ field: 'body', message: 'is not valid JSON' }],
        }),
      );
      return;
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
    };
    this.requests.push(request);

    const pathname = path.split('?')[0] ?? path;
    for (const route of this.routes) {
      const match = route.method === request.method ? route.pattern.exec(pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      try {
        send(res, path, await route.handler(request, params));
      } catch (error) {
        // A broken test route: say so, and answer as the API does when it fails.
        console.error(`test route ${request.method} ${pathname} failed`, error);
        send(
          res,
          path,
          problem(
            500,
            'Internal Server Error',
            'Something went wrong on our side; it has been logged.',
          ),
        );
      }
      return;
    }
    // Fastify's answer for an unknown route, through the API's problem filter.
    send(res, path, problem(404, 'Not Found', `Route ${request.method}:${pathname} not found`));
  }

  private attachLive(): void {
    const live = this.io.of(LIVE_NAMESPACE);
    live.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      this.handshakes.push({ token, transport: socket.handshake.query.transport });
      void this.handshakeGate.pass().then(() => {
        if (this.unavailableHandshakes > 0) {
          this.unavailableHandshakes -= 1;
          next(new Error(LIVE_UNAVAILABLE));
        } else next(token === this.liveAuth.token ? undefined : new Error('unauthorized'));
      });
    });
    live.on('connection', (socket) => {
      socket.on('disconnect', (reason) => this.disconnects.push(reason));
      socket.on('clinics.subscribe', async (payload, ack) => {
        const request = SubscribeRequest.safeParse(payload);
        if (!request.success) {
          ack({ joined: [], rejected: [], error: request.error.message });
          return;
        }
        this.liveRequests.push({ event: 'clinics.subscribe', clinicIds: request.data.clinicIds });
        const allowed = new Set(this.liveAuth.clinicIds);
        const joined = request.data.clinicIds.filter((id) => allowed.has(id));
        const rejected = request.data.clinicIds.filter((id) => !allowed.has(id));
        await socket.join(joined.map(clinicRoom));
        await this.subscribeAckGate.pass();
        ack({ joined, rejected });
      });
      // As the API: a token the handshake would accept now extends the socket in place.
      socket.on('auth.renew', (payload, ack) => {
        this.renewals.push(payload?.accessToken);
        ack(
          payload?.accessToken === this.liveAuth.token
            ? { ok: true, expiresAt: Date.now() + 60_000 }
            : { ok: false, error: 'unauthorized' },
        );
      });
      socket.on('clinics.unsubscribe', async (payload, ack) => {
        const request = SubscribeRequest.safeParse(payload);
        if (!request.success) {
          ack({ left: [] });
          return;
        }
        this.liveRequests.push({ event: 'clinics.unsubscribe', clinicIds: request.data.clinicIds });
        await Promise.all(request.data.clinicIds.map((id) => socket.leave(clinicRoom(id))));
        ack({ left: request.data.clinicIds });
      });
    });
  }
}

/** Starts a server on a free port of 127.0.0.1. */
export async function startTestServer(
  liveAuth: LiveAuth = { token: 'unset', clinicIds: [] },
): Promise<TestServer> {
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  return new TestServer(http, liveAuth);
}

/** An origin nobody listens on: requests and sockets to it fail as an unreachable server does. */
export async function unreachableOrigin(): Promise<string> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const { port } = http.address() as AddressInfo;
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Polls until `check()` is true: for route handlers that must wait on live state (not for assertions: use waitFor). */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, path: string, reply: Reply): void {
  if ('problem' in reply) {
    const body = JSON.stringify({ ...reply.problem, instance: path });
    res.writeHead(reply.problem.status, { ...reply.headers, 'content-type': PROBLEM_CONTENT_TYPE });
    res.end(body);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
}
