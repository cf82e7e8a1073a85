import { Module } from '@nestjs/common';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { AlertEscalator } from './alert.escalator';
import { DeviceWatchdog } from './device.watchdog';

/** The device-heartbeat watchdog and alert escalation; alerts go through the telemetry module's path. */
@Module({
  imports: [TelemetryModule],
  providers: [AlertEscalator, DeviceWatchdog],
})
export class WatchdogModule {}
