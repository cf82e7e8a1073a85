import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * What the relay does to the app's traffic:
 * - `pass`: forwards both ways;
 * - `reset`: every connection is cut (RST) and new ones are cut at once: a database that is down;
 * - `stall`: connections stay open and new ones are accepted, but no byte moves in either direction:
 *   a partition. Bytes sent meanwhile are held and delivered on `restore`, as TCP retransmission
 *   would deliver them when the network heals.
 */
export type RelayMode = 'pass' | 'reset' | 'stall';

export interface TcpProxy {
  port: number;
  mode(): RelayMode;
  reset(): void;
  stall(): void;
  /**
   * Stalls everything the moment the app sends bytes matching `match` (e.g. `COMMIT`), holding
   * those bytes too: the app's statement is sent but never reaches the service until `restore`.
   */
  stallOn(match: string): void;
  /** Back to `pass`: held bytes flow on, in order; new connections reach the service again. */
  restore(): void;
  close(): Promise<void>;
}

type Held = { to: 'up' | 'down'; chunk: Buffer | null };

interface Pair {
  client: Socket;
  upstream?: Socket;
  held: Held[];
}

/**
 * A TCP relay to a real service. Its modes are, for the app behind it, exactly a dependency going
 * down or silent, without touching the shared service.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: RelayMode = 'pass';
  let trigger: string | undefined;
  const sockets = new Set<Socket>();
  const pairs = new Set<Pair>();

  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  /** `chunk` null is the end of that direction (a FIN), forwarded in order like the data. */
  const deliver = (pair: Pair, { to, chunk }: Held) => {
    const target = to === 'up' ? pair.upstream : pair.client;
    if (!target || target.destroyed) return;
    if (chunk === null) target.end();
    else target.write(chunk);
  };
  const forward = (pair: Pair, item: Held) => {
    if (
      mode === 'pass' &&
      trigger !== undefined &&
      item.to === 'up' &&
      item.chunk?.includes(trigger)
    ) {
      trigger = undefined;
      mode = 'stall';
    }
    if (mode === 'stall' || (item.to === 'up' && !pair.upstream)) pair.held.push(item);
    else deliver(pair, item);
  };
  const openUpstream = (pair: Pair) => {
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    pair.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => forward(pair, { to: 'down', chunk }));
    upstream.on('end', () => forward(pair, { to: 'down', chunk: null }));
    upstream.on('close', () => pair.client.destroy());
    const held = pair.held.splice(0);
    for (const item of held) deliver(pair, item);
  };

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    if (mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, held: [] };
    pairs.add(pair);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      forward(pair, { to: 'up', chunk: null });
    };
    client.on('data', (chunk: Buffer) => forward(pair, { to: 'up', chunk }));
    client.on('end', end);
    // Bytes the relay took had reached "the network": they still arrive, then the end, whether
    // the app closed or reset its side (PostgreSQL runs a COMMIT it received, then sees EOF).
    client.on('close', () => {
      end();
      if (pair.held.length === 0) pairs.delete(pair);
    });
    if (mode === 'pass') openUpstream(pair);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return {
    port: (server.address() as { port: number }).port,
    mode: () => mode,
    reset() {
      mode = 'reset';
      trigger = undefined;
      for (const s of sockets) s.resetAndDestroy();
    },
    stall() {
      mode = 'stall';
    },
    stallOn(match) {
      trigger = match;
    },
    restore() {
      mode = 'pass';
      trigger = undefined;
      for (const pair of pairs) {
        if (!pair.upstream) openUpstream(pair);
        else for (const item of pair.held.splice(0)) deliver(pair, item);
        if (pair.client.destroyed) pairs.delete(pair);
      }
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** Routes a test app's DATABASE_URL through a relay (third argument of `startTestApp`). */
export const throughRelay =
  (relay: { port: number }) =>
  (url: string): string => {
    const u = new URL(url);
    u.port = String(relay.port);
    return u.toString();
  };

/**
 * Short database bounds so a partition costs seconds in a test: the server cancels a statement
 * after 1 s, the client gives up on an answer after 5.5 s (it must outlast a wait for a reminder
 * send in flight: MESSAGE_PROVIDER_TIMEOUT_MS + 5 s).
 */
export const FAST_DATABASE_BOUNDS: Record<string, string> = {
  DB_CONNECT_TIMEOUT_MS: '1000',
  DB_STATEMENT_TIMEOUT_MS: '1000',
  DB_QUERY_TIMEOUT_MS: '5500',
  MESSAGE_PROVIDER_TIMEOUT_MS: '100',
};
