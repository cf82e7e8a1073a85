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
