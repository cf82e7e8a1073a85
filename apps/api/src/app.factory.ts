import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type Env } from '@tautline/config';
import { checkRedisBeforeStart, redisKeys } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { clientErrorHandler, frameworkErrors } from './common/problem.fastify';
import { ProblemFilter } from './common/problem.filter';
import { REDIS } from './infrastructure/redis.module';
import { RedisIoAdapter } from './live/redis-io.adapter';
import { registerSecurityHeaders } from './security/security-headers';

/** Builds the API exactly as production runs it; tests call this with their own environment. */
export interface AppOptions {
  /** Where logs go (stdout by default); tests read them. */
  logStream?: NodeJS.WritableStream;
}

export async function createApp(
  env: Env,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  // Refuse to start against a Redis that may evict queued jobs (or, in production, has no AOF), before opening anything else.
  await checkRedisBeforeStart(env.REDIS_URL, env);
  // Patient-link tokens are path parameters longer than Fastify's default 100 characters.
  // Forwarded headers are believed only from the configured proxies (none by default): otherwise any
  // client could pick its own address (resetting the sign-in limit) or host.
  const trustProxy = env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false;
  const adapter = new FastifyAdapter({
    trustProxy,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 256 },
    // Fastify's own answers (bad percent-encoding, 414, 431) as problem+json that never echo the URL.
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, options.logStream),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      // Signed webhooks (inbound SMS) are checked against the exact bytes received.
      rawBody: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalFilters(new ProblemFilter());
  // A preflight without Origin is answered 204 without CORS headers, not a text/plain 400.
  app.enableCors({ origin: env.CORS_ORIGINS, credentials: true, strictPreflight: false });
  await registerSecurityHeaders(app);
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
