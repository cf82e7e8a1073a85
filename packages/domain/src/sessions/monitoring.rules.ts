/**
 * Overload is not a device going offline (DESIGN Key decision 8). A device the server answers 429
 * is streaming: it was heard. While a clinic's devices are being refused, the clinic gets one
 * `monitoring_degraded` alert (technical), not one `device_offline` per device.
 *
 * Every instant here comes from one clock (Redis `TIME`: the API stamps with it, the watchdog reads
 * "now" from it), so no host's clock is ever compared with another's.
 */

/** When a device was last heard from: its last accepted batch or its last refused (429) one. */
export function lastHeardAt(receivedAt: number | null, throttledAt: number | null): number | null {
  if (receivedAt === null) return throttledAt;
  if (throttledAt === null) return receivedAt;
  return Math.max(receivedAt, throttledAt);
}

export interface MonitoredSession {
  /** When the API last answered this session's device 429 (ms, shared clock), or null. */
  throttledAt: number | null;
  /** The session's own offline limit: refusals within it mean "heard, but not seen". */
  offlineAfterMs: number;
}

export type ClinicMonitoringChange = 'raise' | 'resolve' | null;

/** A clinic is degraded while any of its running sessions was refused within its offline limit. */
export function isMonitoringDegraded(sessions: readonly MonitoredSession[], now: number): boolean {
  return sessions.some((s) => s.throttledAt !== null && now - s.throttledAt <= s.offlineAfterMs);
}

/** One alert per clinic: raised when degraded and none is open, resolved when open and no longer degraded. */
export function judgeClinicMonitoring(
  open: boolean,
  sessions: readonly MonitoredSession[],
  now: number,
): ClinicMonitoringChange {
  const degraded = isMonitoringDegraded(sessions, now);
  if (degraded && !open) return 'raise';
  if (!degraded && open) return 'resolve';
  return null;
}

export function monitoringDegradedMessage(clinicName: string): string {
  return (
    `Live monitoring degraded at ${clinicName}: the server is overloaded and refusing telemetry. ` +
    `Devices are still streaming; readings on the board may lag. Check patients in person.`
  ).slice(0, 500);
}
