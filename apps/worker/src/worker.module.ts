import { type DynamicModule, Module } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { LoggerModule } from 'nestjs-pino';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { NoticesModule } from './notices/notices.module';
import { RemindersModule } from './reminders/reminders.module';
import { TelemetryModule } from './telemetry/telemetry.module';
import { WatchdogModule } from './watchdog/watchdog.module';

@Module({})
export class WorkerModule {
  static forRoot(env: Env, logStream?: NodeJS.WritableStream): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [{ level: env.LOG_LEVEL, name: 'worker' }, logStream ?? process.stdout],
        }),
        InfrastructureModule.forRoot(env),
        NoticesModule,
        RemindersModule,
        TelemetryModule,
        WatchdogModule,
      ],
    };
  }
}
