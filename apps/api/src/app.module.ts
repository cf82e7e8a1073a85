import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AvailabilityModule } from './availability/availability.module';
import { CalendarFeedModule } from './calendar-feed/calendar-feed.module';
import { ClinicsModule } from './clinics/clinics.module';
import { ConfigModule } from './config/config.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { DatabaseModule } from './infrastructure/database.module';
import { RedisModule } from './infrastructure/redis.module';
import { LiveModule } from './live/live.module';
import { LiveEmitterModule } from './live/live-emitter.provider';
import { NoticesModule } from './notices/notices.module';
import { PatientLinksModule } from './patient-links/patient-links.module';
import { PatientsModule } from './patients/patients.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RemindersModule } from './reminders/reminders.module';
import { ResourcesModule } from './resources/resources.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { SessionsModule } from './sessions/sessions.module';
import { SmsWebhookModule } from './sms-webhook/sms-webhook.module';

@Module({})
export class AppModule {
  static forRoot(env: Env, logStream?: NodeJS.WritableStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          // Named wildcard: the bare `*` default trips Nest 11's route converter.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          exclude: [{ path: 'health', method: RequestMethod.GET }],
          pinoHttp: [
            {
              level: env.LOG_LEVEL,
              name: 'api',
              // Tokens and cookies never reach the logs; bodies are not logged at all.
              redact: ['req.headers.authorization', 'req.headers.cookie'],
              genReqId: (req) =>
                (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
              // Devices post telemetry several times a second: accepted batches are debug, problems stay visible.
              customLogLevel: (req, res, err) =>
                err || res.statusCode >= 500
                  ? 'error'
                  : res.statusCode >= 400
                    ? 'warn'
                    : req.url?.startsWith('/api/v1/telemetry')
                      ? 'debug'
                      : 'info',
              // No query strings or headers in logs: searches carry names and phone numbers.
              serializers: {
                req: (req: { id: unknown; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  // Patient-link tokens are credentials: never in logs.
                  path: req.url
                    .split('?')[0]
                    ?.replace(/\/patient-links\/[^/]+/, '/patient-links/:token'),
                }),
              },
            },
            logStream ?? process.stdout,
          ],
        }),
        DatabaseModule,
        RedisModule,
        AuditModule,
        LiveEmitterModule,
        AuthModule,
        RateLimitModule,
        ClinicsModule,
        ResourcesModule,
        AvailabilityModule,
        PatientsModule,
        SchedulingModule,
        RemindersModule,
        PatientLinksModule,
        SmsWebhookModule,
        DevicesModule,
        SessionsModule,
        CalendarFeedModule,
        NoticesModule,
        HealthModule,
        LiveModule,
      ],
    };
  }
}
