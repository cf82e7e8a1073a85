import { isIP } from 'node:net';
import { z } from 'zod';

const DEV_JWT_SECRET = 'tautline-local-development-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const DEV_SMS_WEBHOOK_SECRET = 'tautline-local-sms-webhook-secret-change-me';
const DEV_SMS_AUTH_TOKEN = 'local-development-token';

/**
 * Every setting of every Tautline process. Each has a local default, so a fresh checkout
 * runs with no `.env`; production refuses the development JWT secret.
 */
export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/tautline'),
    // ---- PostgreSQL bounds of the api and worker pools (migrations and seed have none).
    /** Opening a database connection; beyond it the API answers 503 + Retry-After. */
    DB_CONNECT_TIMEOUT_MS: ms(100, 120_000).default(5_000),
    /** PostgreSQL cancels a statement running longer; waits for the send lock set their own. */
    DB_STATEMENT_TIMEOUT_MS: ms(100, 600_000).default(10_000),
    /** The client gives up on an answer that never comes (a partition) and drops the connection. */
    DB_QUERY_TIMEOUT_MS: ms(100, 600_000).default(20_000),
    /** PostgreSQL ends a session idle inside a transaction this long, releasing its locks. */
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: ms(1_000, 3_600_000).default(30_000),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    /**
     * `aof`: api and worker check at start that Redis keeps an append-only file (production refuses
     * to start without one, development warns); `managed`: a managed Redis persists by its own means.
     */
    REDIS_PERSISTENCE: z.enum(['aof', 'managed']).default('aof'),
    /** Namespaces every Redis key (BullMQ, socket.io, throttling) so deployments and tests can share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/i, 'letters, digits, - and _ only')
      .default('tl'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    DASHBOARD_PORT: port.default(5173),
    PUBLIC_URL: z.url().default('http://localhost:5173'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    /** Access-token lifetime; the dashboard renews in the background. Below 60 s only outside production (tests). */
    JWT_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
    /** A sign-in session (refresh cookie) not renewed for this long ends (sliding). */
    AUTH_IDLE_TIMEOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
    /** A sign-in session ends this long after the password was entered, however active: one shift. */
    AUTH_SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(12),
    /** Refreshes per address per minute (shared by every API instance): over it 429 + Retry-After. */
    AUTH_REFRESH_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
    LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Per user per minute, shared by every API instance (Redis): over it the answer is 429 + Retry-After. */
    RATE_LIMIT_SLOTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    RATE_LIMIT_BOOKINGS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    RATE_LIMIT_NOTICES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
    RATE_LIMIT_PATIENT_SEARCH_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    /** Slot searches per patient link (token) per minute: the public route has no user to count. */
    RATE_LIMIT_PATIENT_LINK_SLOTS_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(20),
    /** At most one HELP answer per phone number in this many minutes (more HELP texts are stored, not answered). */
    SMS_HELP_REPLY_INTERVAL_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
    CORS_ORIGINS: z
      .string()
      .default('http://localhost:5173,http://127.0.0.1:5173')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    /**
     * Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed (IPs or CIDRs, comma-separated).
     * Empty (the default) trusts none: the client address is the socket's, so no header can reset a limit.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => list.every(isAddressOrCidr),
        'must be IP addresses or CIDRs, comma-separated',
      ),

    // ---- Reminders: how messages leave (the `log` transport stores them for people to read).
    EMAIL_TRANSPORT: z.enum(['log', 'smtp']).default('log'),
    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_PORT: port.default(1025),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    SMTP_SECURE: flag.default(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    EMAIL_FROM: z.string().min(3).default('Tautline reminders <reminders@tautline.test>'),
    SMS_TRANSPORT: z.enum(['log', 'http']).default('log'),
    /** Base URL of an SMS API shaped like the mainstream ones (`POST …/Accounts/{sid}/Messages.json`). */
    SMS_API_URL: z.url().default('http://127.0.0.1:8026'),
    SMS_ACCOUNT_SID: z.string().min(1).default('AC-local-development'),
    SMS_AUTH_TOKEN: z.string().min(1).default(DEV_SMS_AUTH_TOKEN),
    /** The number reminders are sent from, E.164. */
    SMS_FROM: z
      .string()
      .regex(/^[+][1-9][0-9]{6,14}$/, 'must be an E.164 number')
      .default('+447700900000'),
    /** Inbound SMS webhooks are signed with this (HMAC-SHA256); production refuses the default. */
    SMS_WEBHOOK_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .default(DEV_SMS_WEBHOOK_SECRET),
    /** How long one provider call may take before it counts as failed (and is retried). */
    MESSAGE_PROVIDER_TIMEOUT_MS: ms(100, 120_000).default(10_000),
    /** Send attempts per reminder, with exponential backoff from REMINDER_BACKOFF_MS. */
    REMINDER_SEND_ATTEMPTS: ms(1, 20).default(6),
    REMINDER_BACKOFF_MS: ms(10, 3_600_000).default(30_000),
    /** A worker holds a reminder (and its job lock) this long; a crashed worker's claim expires after it. */
    REMINDER_LEASE_MS: ms(1_000, 600_000).default(30_000),
    /**
     * On SIGTERM the worker waits this long for the sends in flight to finish (so none is cut off
     * after the provider took it); at least MESSAGE_PROVIDER_TIMEOUT_MS.
     */
    REMINDER_SHUTDOWN_GRACE_MS: ms(100, 600_000).default(15_000),
    /** Reminders one worker process sends at once. */
    REMINDER_CONCURRENCY: ms(1, 500).default(20),
    REMINDER_RECONCILE_EVERY_MS: ms(200, 3_600_000).default(60_000),
    /** The reconciler still sends a reminder this late; older ones are marked missed. */
    REMINDER_OVERDUE_GRACE_MINUTES: ms(1, 24 * 60).default(120),
    /** Telemetry jobs waiting in the queue above which the API answers 429 (back-pressure, never a silent drop). */
    TELEMETRY_MAX_BACKLOG: ms(10, 1_000_000).default(2_000),

    // ---- Live sessions (worker): telemetry ingestion, coalesced live updates, the device watchdog.
    /** Telemetry batches one worker process handles at once (one session's batches always run in turn). */
    TELEMETRY_CONCURRENCY: ms(1, 500).default(8),
    /** An accepted batch is retried (capped exponential backoff) for at least this long: a database outage this long loses nothing. */
    TELEMETRY_RETRY_FOR_MS: ms(1_000, 7 * 24 * 3_600_000).default(900_000),
    /** The longest wait between two tries of a telemetry job (backoff starts at 200 ms and doubles up to this). */
    TELEMETRY_RETRY_MAX_DELAY_MS: ms(10, 600_000).default(15_000),
    /** How often a worker moves failed telemetry jobs (retries exhausted) back to waiting; invalid payloads stay failed. */
    TELEMETRY_REDRIVE_EVERY_MS: ms(100, 3_600_000).default(30_000),
    /** At most one `session.updated` per session per this interval, however fast the device streams. */
    LIVE_UPDATE_INTERVAL_MS: ms(20, 10_000).default(250),
    /** How often the watchdog checks running sessions for silent devices, overruns and alerts to escalate. */
    WATCHDOG_INTERVAL_MS: ms(50, 60_000).default(1_000),
  })
  .superRefine((env, ctx) => {
    // The demo secrets are public (they are in this file): only a loopback-only development run may use them.
    if (env.NODE_ENV === 'production' || !isLoopbackHost(env.API_HOST)) {
      const why =
        env.NODE_ENV === 'production'
          ? 'in production'
          : `when API_HOST (${env.API_HOST}) is not loopback`;
      for (const name of demoSecretsInUse(env)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `set a secret of your own ${why}` });
      }
    }
    if (env.NODE_ENV === 'production' && env.JWT_TTL_SECONDS < 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_TTL_SECONDS'],
        message: 'must be at least 60 in production (shorter lifetimes are for tests)',
      });
    }
    if (env.AUTH_IDLE_TIMEOUT_MINUTES > env.AUTH_SESSION_MAX_HOURS * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_IDLE_TIMEOUT_MINUTES'],
        message: 'must not be longer than AUTH_SESSION_MAX_HOURS',
      });
    }
    if (env.MESSAGE_PROVIDER_TIMEOUT_MS >= env.REMINDER_LEASE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['MESSAGE_PROVIDER_TIMEOUT_MS'],
        message:
          'must be shorter than REMINDER_LEASE_MS (a send must end before its claim expires)',
      });
    }
    if (env.REMINDER_SHUTDOWN_GRACE_MS < env.MESSAGE_PROVIDER_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REMINDER_SHUTDOWN_GRACE_MS'],
        message:
          'must be at least MESSAGE_PROVIDER_TIMEOUT_MS (shutdown waits for the sends in flight)',
      });
    }
    for (const issue of databaseTimeoutIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** The longest a statement waits for an appointment's send lock: one provider call plus a margin. */
export function sendLockWaitMs(env: Pick<Env, 'MESSAGE_PROVIDER_TIMEOUT_MS'>): number {
  return env.MESSAGE_PROVIDER_TIMEOUT_MS + 5_000;
}

/**
 * The client-side query timeout must outlast whatever the server may legitimately take (a statement
 * up to its timeout, a wait for a send in flight), or it would cut healthy work; a transaction may sit
 * idle across one provider call, so the idle-in-transaction cut must be longer than that call.
 */
function databaseTimeoutIssues(
  env: Pick<
    Env,
    | 'DB_STATEMENT_TIMEOUT_MS'
    | 'DB_QUERY_TIMEOUT_MS'
    | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'
    | 'MESSAGE_PROVIDER_TIMEOUT_MS'
  >,
): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (env.DB_QUERY_TIMEOUT_MS <= env.DB_STATEMENT_TIMEOUT_MS) {
    issues.push({
      path: ['DB_QUERY_TIMEOUT_MS'],
      message: 'must be longer than DB_STATEMENT_TIMEOUT_MS (the server cancels first)',
    });
  }
  if (env.DB_QUERY_TIMEOUT_MS <= sendLockWaitMs(env)) {
    issues.push({
      path: ['DB_QUERY_TIMEOUT_MS'],
      message:
        'must be longer than a wait for a reminder send in flight ' +
        `(MESSAGE_PROVIDER_TIMEOUT_MS + 5000 = ${sendLockWaitMs(env)} ms)`,
    });
  }
  if (env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS <= env.MESSAGE_PROVIDER_TIMEOUT_MS) {
    issues.push({
      path: ['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'],
      message:
        'must be longer than MESSAGE_PROVIDER_TIMEOUT_MS (a transaction may wait on one provider call)',
    });
  }
  return issues;
}

export type Env = z.infer<typeof EnvSchema>;

/** The secret settings still at their published development defaults (the `pnpm start` banner names them). */
export function demoSecretsInUse(
  env: Pick<Env, 'JWT_SECRET' | 'SMS_WEBHOOK_SECRET' | 'SMS_AUTH_TOKEN' | 'SMS_TRANSPORT'>,
): string[] {
  const names: string[] = [];
  if (env.JWT_SECRET === DEV_JWT_SECRET) names.push('JWT_SECRET');
  if (env.SMS_WEBHOOK_SECRET === DEV_SMS_WEBHOOK_SECRET) names.push('SMS_WEBHOOK_SECRET');
  // The placeholder provider token only matters when messages really go out over HTTP.
  if (env.SMS_TRANSPORT === 'http' && env.SMS_AUTH_TOKEN === DEV_SMS_AUTH_TOKEN)
    names.push('SMS_AUTH_TOKEN');
  return names;
}

/** 127.0.0.0/8, ::1 and localhost: an API bound there is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfigError';
  }
}

/** Parses the process environment (or any record) into typed config, naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  return result.data;
}
