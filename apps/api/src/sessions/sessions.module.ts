import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { LiveSessionsModule } from '../live-sessions/live-sessions.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { SafetyThresholdsController } from './safety-thresholds.controller';
import { SessionEnding } from './session-ending';
import { SessionReviewController } from './session-review.controller';
import { SessionReviewService } from './session-review.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { TelemetryController } from './telemetry.controller';
import { telemetryQueueProvider } from './telemetry.queue';
import { TelemetryService } from './telemetry.service';

/** Live e-stim: treatment sessions, telemetry ingestion, alerts, thresholds and post-session review. */
@Module({
  imports: [SchedulingModule, DevicesModule, LiveSessionsModule],
  controllers: [
    SessionsController,
    SessionReviewController,
    TelemetryController,
    AlertsController,
    SafetyThresholdsController,
  ],
  providers: [
    SessionsService,
    SessionEnding,
    SessionReviewService,
    TelemetryService,
    telemetryQueueProvider,
    AlertsService,
  ],
})
export class SessionsModule {}
