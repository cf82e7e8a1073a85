import { type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { type Redis } from 'ioredis';
import { type Server, type ServerOptions } from 'socket.io';

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
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.settings.corsOrigins, credentials: true },
    });
    server.adapter(createAdapter(this.settings.pub, this.settings.sub, { key: this.settings.key }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    this.settings.pub.disconnect();
    this.settings.sub.disconnect();
  }
}
