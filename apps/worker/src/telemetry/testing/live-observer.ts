import { createAdapter } from '@socket.io/redis-adapter';
import { type AlertEvent, clinicRoom, LIVE_NAMESPACE, type LiveSession } from '@tautline/domain';
import { redisKeys } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';

export interface ReceivedEvents {
  'session.updated': LiveSession[];
  'alert.raised': AlertEvent[];
  'alert.updated': AlertEvent[];
  'alert.escalated': AlertEvent[];
}

export interface LiveClient {
  events: ReceivedEvents;
  /** Everything this client received, in order, with when it arrived. */
  all: { event: keyof ReceivedEvents; at: number; sessionId: string }[];
  socket: Socket;
}

/**
 * The API's side of live events, for tests: a real socket.io server on the Redis adapter with the
 * worker's key, and real socket.io clients, each sitting in one clinic's room.
 */
export class LiveObserver {
  private readonly http: HttpServer = createServer();
  private readonly io = new Server(this.http);
  private readonly clients: Socket[] = [];
  private readonly connections: Redis[];

  private constructor(redis: Redis, prefix: string) {
    this.connections = [redis.duplicate(), redis.duplicate()];
    this.io.adapter(
      createAdapter(this.connections[0]!, this.connections[1]!, {
        key: redisKeys(prefix).socketIo,
      }),
    );
    this.io
      .of(LIVE_NAMESPACE)
      .on('connection', (s) => void s.join(clinicRoom(String(s.handshake.auth.clinicId))));
  }

  static async start(redis: Redis, prefix: string): Promise<LiveObserver> {
    const observer = new LiveObserver(redis, prefix);
    observer.http.listen(0, '127.0.0.1');
    await once(observer.http, 'listening');
    return observer;
  }

  async client(clinicId: string): Promise<LiveClient> {
    const { port } = this.http.address() as { port: number };
    const socket = connect(`http://127.0.0.1:${port}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      auth: { clinicId },
    });
    const client: LiveClient = {
      events: {
        'session.updated': [],
        'alert.raised': [],
        'alert.updated': [],
        'alert.escalated': [],
      },
      all: [],
      socket,
    };
    for (const event of Object.keys(client.events) as (keyof ReceivedEvents)[]) {
      socket.on(event, (payload: unknown) => {
        (client.events[event] as unknown[]).push(payload);
        const p = payload as { sessionId?: string; alert?: { sessionId: string } };
        client.all.push({
          event,
          at: Date.now(),
          sessionId: p.alert?.sessionId ?? p.sessionId ?? '',
        });
      });
    }
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    this.clients.push(socket);
    // The join happens on the server right after the handshake; give it a moment.
    await new Promise((r) => setTimeout(r, 50));
    return client;
  }

  async stop(): Promise<void> {
    this.clients.forEach((c) => c.disconnect());
    await new Promise((resolve) => this.io.close(resolve));
    this.connections.forEach((c) => c.disconnect());
  }
}

export const forSession = <
  T extends { sessionId: string } | { alert: { sessionId: string | null } },
>(
  items: T[],
  sessionId: string,
): T[] => items.filter((i) => ('alert' in i ? i.alert.sessionId : i.sessionId) === sessionId);
