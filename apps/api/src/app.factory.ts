import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type Env } from '@tautline/config';
import { checkRedisBeforeStart, redisKeys } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ProblemFilter } from './common/problem.filter';
import { REDIS } from './infrastructure/redis.module';
import { RedisIoAdapter } from './live/redis-io.adapter';

/** Builds the API exactly as production runs it; tests call this with their own environment. */
export interface AppOptions {
  /** Where logs go (stdout by default); tests read them. */
  logStream?: NodeJS.WritableStream;
}

export async function createApp(env: Env, options: AppOptions = {}): Promise<NestFastifyApplication> {
  // Refuse to start against a Redis that may evict queued jobs, before opening anything else.
  await checkRedisBeforeStart(env.REDIS_URL);
  // Patient-link tokens are path parameters longer than Fastify's default 100 characters.
  const adapter = new FastifyAdapter({ trustProxy: true, bodyLimit: 1_048_576, routerOptions: { maxParamLength: 256 } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, options.logStream), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Signed webhooks (inbound SMS) are checked against the exact bytes received.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalFilters(new ProblemFilter());
  app.enableCors({ origin: env.CORS_ORIGINS, credentials: true });
  const docs = new DocumentBuilder()
    .setTitle('Tautline API')
    .setDescription('Scheduling and live e-stim session monitoring for dry-needling clinics.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs));

  const redis = app.get<Redis>(REDIS);
  const ioAdapter = new RedisIoAdapter(app, {
    pub: redis.duplicate(),
    sub: redis.duplicate(),
    key: redisKeys(env.REDIS_PREFIX).socketIo,
    corsOrigins: env.CORS_ORIGINS,
  });
  app.useWebSocketAdapter(await ioAdapter.connect());
  app.enableShutdownHooks();
  return app;
}
