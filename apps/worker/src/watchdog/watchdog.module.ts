import { Module } from '@nestjs/common';
import { RemindersModule } from '../reminders/reminders.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { AlertEscalator } from './alert.escalator';
import { ClinicMonitoring } from './clinic-monitoring';
import { DeviceWatchdog } from './device.watchdog';

/**
 * The device-heartbeat watchdog and alert escalation; alerts go through the telemetry module's
 * path, escalation emails through the reminders module's outbox.
 */
@Module({
  imports: [TelemetryModule, RemindersModule],
  providers: [AlertEscalator, ClinicMonitoring, DeviceWatchdog],
})
export class WatchdogModule {}
