import { Module } from '@nestjs/common';
import { RemindersModule } from '../reminders/reminders.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { AlertEscalator } from './alert.escalator';
import { AlertRealerter } from './alert.realerter';
import { ClinicMonitoring } from './clinic-monitoring';
import { DeviceWatchdog } from './device.watchdog';

/**
 * The device-heartbeat watchdog, alert escalation and re-alert; alerts go through the telemetry module's
 * path, escalation emails through the reminders module's outbox.
 */
@Module({
  imports: [TelemetryModule, RemindersModule],
  providers: [AlertEscalator, AlertRealerter, ClinicMonitoring, DeviceWatchdog],
})
export class WatchdogModule {}
