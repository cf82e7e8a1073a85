import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Env } from '@tautline/config';
import { checkRedisBeforeStart } from '@tautline/queues';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** The worker is a Nest application context: dependency injection and lifecycle, no HTTP server. */
export async function createWorkerContext(
  env: Env,
  options: { logStream?: NodeJS.WritableStream } = {},
): Promise<INestApplicationContext> {
  // Refuse to start against a Redis that may evict queued jobs (or, in production, has no AOF), before opening anything else.
  await checkRedisBeforeStart(env.REDIS_URL, env);
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(env, options.logStream),
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
