import { Module } from '@nestjs/common';
import { type Env } from '@tautline/config';
import { LiveSessionStore } from '@tautline/queues';
import { type Redis } from 'ioredis';
import { ENV, REDIS } from '../infrastructure/infrastructure.module';
import { AlertRecorder } from './alert.recorder';
import { LiveUpdates } from './live-updates';
import { SafetyStates } from './safety-states';
import { SessionLocks } from './session-locks';
import { TelemetryProcessor } from './telemetry.processor';
import { TelemetryRedrive } from './telemetry.redrive';

const liveSessionStoreProvider = {
  provide: LiveSessionStore,
  inject: [REDIS, ENV],
  useFactory: (redis: Redis, env: Env) => new LiveSessionStore(redis, env.REDIS_PREFIX),
};

/** Telemetry ingestion and the live state it feeds; the watchdog shares its locks, alerts and updates. */
@Module({
  providers: [
    liveSessionStoreProvider,
    SessionLocks,
    SafetyStates,
    AlertRecorder,
    LiveUpdates,
    TelemetryProcessor,
    TelemetryRedrive,
  ],
  exports: [LiveSessionStore, SessionLocks, SafetyStates, AlertRecorder, LiveUpdates],
})
export class TelemetryModule {}
