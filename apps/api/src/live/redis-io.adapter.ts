import { type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { type Redis } from 'ioredis';
import { type Server, type ServerOptions } from 'socket.io';
import { closeRedis } from '@tautline/queues';

/**
 * socket.io over Redis pub/sub: rooms are shared by every API instance, and the worker's
 * Redis emitter (same key) reaches browsers connected to any of them.
 */
export class RedisIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly settings: { pub: Redis; sub: Redis; key: string; corsOrigins: string[] },
  ) {
    super(app);
    handleFireAndForget(settings.pub, ['publish']);
    handleFireAndForget(settings.sub, ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe']);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.settings.corsOrigins, credentials: true },
    });
    server.adapter(createAdapter(this.settings.pub, this.settings.sub, { key: this.settings.key }));
    return server;
  }

  /**
   * Waits for both connections before any adapter subscribes: the adapter never awaits its own
   * SUBSCRIBE, so one still pending at shutdown would reject with nobody listening.
   */
  async connect(): Promise<this> {
    await Promise.all([this.settings.pub.ping(), this.settings.sub.ping()]);
    return this;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all([closeRedis(this.settings.pub), closeRedis(this.settings.sub)]);
  }
}

type Command = 'publish' | 'subscribe' | 'psubscribe' | 'unsubscribe' | 'punsubscribe';

/**
 * The adapter sends these commands without awaiting them; while Redis is away they reject, and an
 * unhandled rejection would take the whole API down. Marking them handled keeps the API serving while
 * ioredis reconnects (and resubscribes); a caller that awaits still sees the error.
 */
function handleFireAndForget(client: Redis, commands: Command[]): void {
  for (const name of commands) {
    const original = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(client, {
      [name]: (...args: unknown[]) => {
        const result = original(...args);
        result.catch(() => undefined);
        return result;
      },
    });
  }
}
