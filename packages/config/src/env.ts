import { z } from 'zod';

const DEV_JWT_SECRET = 'tautline-local-development-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const DEV_SMS_WEBHOOK_SECRET = 'tautline-local-sms-webhook-secret-change-me';

/**
 * Every setting of every Tautline process. Each has a local default, so a fresh checkout
 * runs with no `.env`; production refuses the development JWT secret.
 */
export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/tautline'),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
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
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
    CORS_ORIGINS: z
      .string()
      .default('http://localhost:5173,http://127.0.0.1:5173')
      .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),

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
    SMS_AUTH_TOKEN: z.string().min(1).default('local-development-token'),
    /** The number reminders are sent from, E.164. */
    SMS_FROM: z.string().regex(/^[+][1-9][0-9]{6,14}$/, 'must be an E.164 number').default('+447700900000'),
    /** Inbound SMS webhooks are signed with this (HMAC-SHA256); production refuses the default. */
    SMS_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SMS_WEBHOOK_SECRET),
    /** How long one provider call may take before it counts as failed (and is retried). */
    MESSAGE_PROVIDER_TIMEOUT_MS: ms(100, 120_000).default(10_000),
    /** Send attempts per reminder, with exponential backoff from REMINDER_BACKOFF_MS. */
    REMINDER_SEND_ATTEMPTS: ms(1, 20).default(6),
    REMINDER_BACKOFF_MS: ms(10, 3_600_000).default(30_000),
    /** A worker holds a reminder (and its job lock) this long; a crashed worker's claim expires after it. */
    REMINDER_LEASE_MS: ms(1_000, 600_000).default(30_000),
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
    /** At most one `session.updated` per session per this interval, however fast the device streams. */
    LIVE_UPDATE_INTERVAL_MS: ms(20, 10_000).default(250),
    /** How often the watchdog checks running sessions for silent devices, overruns and alerts to escalate. */
    WATCHDOG_INTERVAL_MS: ms(50, 60_000).default(1_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'set a secret of your own in production',
      });
    }
    if (env.NODE_ENV === 'production' && env.SMS_WEBHOOK_SECRET === DEV_SMS_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SMS_WEBHOOK_SECRET'], message: 'set a secret of your own in production' });
    }
    if (env.MESSAGE_PROVIDER_TIMEOUT_MS >= env.REMINDER_LEASE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['MESSAGE_PROVIDER_TIMEOUT_MS'],
        message: 'must be shorter than REMINDER_LEASE_MS (a send must end before its claim expires)',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

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
