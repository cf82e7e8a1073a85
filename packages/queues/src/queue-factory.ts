import {
  Queue,
  Worker,
  type Job,
  type Processor,
  type WorkerOptions,
  type ConnectionOptions,
} from 'bullmq';
import type { JobName, JobPayload } from './job-payloads';
import { JOB_SCHEMAS } from './job-payloads';
import type { QueueName } from './queue-names';
import { redisKeys } from './redis-connection';

export interface QueueSettings {
  connection: ConnectionOptions;
  /** Deployment prefix (REDIS_PREFIX); BullMQ keys live under `<prefix>:bull`. */
  prefix: string;
}

export type TypedQueue<Q extends QueueName> = Queue<JobPayload<Q>, unknown, JobName<Q>>;
export type TypedJob<Q extends QueueName> = Job<JobPayload<Q>, unknown, JobName<Q>>;
export type TypedWorker<Q extends QueueName> = Worker<JobPayload<Q>, unknown, JobName<Q>>;

export function createQueue<Q extends QueueName>(name: Q, settings: QueueSettings): TypedQueue<Q> {
  return new Queue<JobPayload<Q>, unknown, JobName<Q>>(name, {
    connection: settings.connection,
    prefix: redisKeys(settings.prefix).bull,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    },
  });
}

/** Validates a job's payload against its schema, so a malformed job fails loudly instead of half-working. */
export function parseJob<Q extends QueueName>(queue: Q, job: TypedJob<Q>): JobPayload<Q> {
  const schemas = JOB_SCHEMAS[queue] as Record<string, { parse(v: unknown): unknown }>;
  const schema = schemas[job.name];
  if (!schema) throw new Error(`unknown job "${job.name}" on queue "${queue}"`);
  return schema.parse(job.data) as JobPayload<Q>;
}

export function createWorker<Q extends QueueName>(
  name: Q,
  processor: Processor<JobPayload<Q>, unknown, JobName<Q>>,
  settings: QueueSettings & Omit<WorkerOptions, 'connection' | 'prefix'>,
): TypedWorker<Q> {
  const { connection, prefix, ...options } = settings;
  return new Worker<JobPayload<Q>, unknown, JobName<Q>>(name, processor, {
    ...options,
    connection,
    prefix: redisKeys(prefix).bull,
  });
}

/** The custom backoff type of telemetry jobs; the worker's `settings.backoffStrategy` computes it. */
export const TELEMETRY_BACKOFF = 'telemetry-capped';
/** The first retry of a telemetry job waits this long; each next one twice as long, up to the cap. */
export const TELEMETRY_FIRST_RETRY_MS = 200;

export interface TelemetryRetrySettings {
  /** TELEMETRY_RETRY_FOR_MS: the outage the retries must outlast. */
  retryForMs: number;
  /** TELEMETRY_RETRY_MAX_DELAY_MS: the cap of one wait. */
  maxDelayMs: number;
}

/** The wait before try `attemptsMade + 1`: exponential from 200 ms, capped so a recovered database is used soon. */
export function telemetryRetryDelay(attemptsMade: number, maxDelayMs: number): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  return Math.min(maxDelayMs, TELEMETRY_FIRST_RETRY_MS * 2 ** exponent);
}

/** How many tries make the waits between them add up to at least `retryForMs`. */
export function telemetryAttempts({ retryForMs, maxDelayMs }: TelemetryRetrySettings): number {
  let waited = 0;
  let attempts = 1;
  while (waited < retryForMs) waited += telemetryRetryDelay(attempts++, maxDelayMs);
  return attempts;
}

/**
 * Job options of one accepted telemetry batch. A 202 promises the samples will be stored, so a job
 * retries through a database outage of `retryForMs`, and a failed job is kept (the worker's
 * re-drive moves it back to waiting) rather than removed.
 */
export function telemetryJobOptions(settings: TelemetryRetrySettings) {
  return {
    attempts: telemetryAttempts(settings),
    backoff: { type: TELEMETRY_BACKOFF, delay: TELEMETRY_FIRST_RETRY_MS },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}
