import { z } from 'zod';

const DEV_JWT_SECRET = 'tautline-local-development-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);

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
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'set a secret of your own in production',
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
