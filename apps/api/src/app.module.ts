import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AuthModule } from './auth/auth.module';
import { ClinicsModule } from './clinics/clinics.module';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { DatabaseModule } from './infrastructure/database.module';
import { RedisModule } from './infrastructure/redis.module';
import { LiveModule } from './live/live.module';
import { NoticesModule } from './notices/notices.module';

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
              autoLogging: { ignore: (req) => req.url === '/api/health' },
            },
            logStream ?? process.stdout,
          ],
        }),
        DatabaseModule,
        RedisModule,
        AuthModule,
        ClinicsModule,
        NoticesModule,
        HealthModule,
        LiveModule,
      ],
    };
  }
}
