import { Client } from 'pg';

/** The channel the access triggers (migration 1764420000000) NOTIFY, payload `{"userId": "…"}`. */
export const ACCESS_CHANGED_CHANNEL = 'access_changed';

export interface AccessChangesHandlers {
  /** A user's role, active flag, organisation or memberships changed (committed). */
  changed(userId: string): void;
  /**
   * The listener (re)connected: changes made while it was away were not heard, so whoever holds
   * access decisions re-checks them all. Also called after the first connect.
   */
  resync(): void;
  error?(err: Error): void;
}

/**
 * One dedicated PostgreSQL connection that LISTENs for access changes, reconnecting with back-off
 * for as long as it runs. Not from the pool: a LISTEN lives as long as its connection.
 */
export class AccessChangesListener {
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly handlers: AccessChangesHandlers,
    private readonly retryMs = 1_000,
    /** A connection dropped without a reset is noticed by a `SELECT 1` this often. */
    private readonly heartbeatMs = 15_000,
  ) {}

  /** Resolves once listening (or, if PostgreSQL is away, at once: it keeps trying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.url,
      application_name: 'tautline-access-listener',
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
      keepAlive: true,
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      clearInterval(this.heartbeat);
      if (err) this.handlers.error?.(err);
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel !== ACCESS_CHANGED_CHANNEL || !message.payload) return;
      const userId = parseUserId(message.payload);
      if (userId) this.handlers.changed(userId);
    });
    try {
      this.client = client;
      await client.connect();
      await client.query(`LISTEN ${ACCESS_CHANGED_CHANNEL}`);
      if (this.stopped) return void (await client.end().catch(() => undefined));
      this.heartbeat = setInterval(
        () => void client.query('SELECT 1').catch((e: Error) => lost(e)),
        this.heartbeatMs,
      );
      this.heartbeat.unref();
      this.handlers.resync();
    } catch (err) {
      lost(err as Error);
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
  }
}

function parseUserId(payload: string): string | undefined {
  try {
    const value: unknown = (JSON.parse(payload) as { userId?: unknown }).userId;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
