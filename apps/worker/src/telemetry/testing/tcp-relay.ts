import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  /** Drops every connection and refuses new ones (the port stays bound): the service is "down". */
  cut(): void;
  /** Relays again. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay to a real service that can be cut and restored on the same port, so a process
 * connected through it sees a real outage (connections reset, new ones refused) and a real
 * recovery, without touching the shared service.
 */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        // Half a pair is no use: the other side goes too.
        (s === client ? upstream : client).destroy();
      });
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    async close() {
      down = true;
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** The same URL with host and port replaced, e.g. a database URL through a relay. */
export function throughRelay(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
