import {
  compareAlarms,
  compareAlertVersions,
  needsAcknowledgement,
  type Alert,
} from '@tautline/domain';

/** The tray's order (the domain's `compareAlarms`): sounding first, then by priority, newest first. */
export function orderAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(compareAlarms);
}

/**
 * Merges what we hold with what arrived (REST, snapshot or event, in any order): the newer
 * `alertVersion` wins, so a stale event never overwrites a newer state while a re-alert or a
 * recurrence (open again after acknowledged or latched) does; escalation, once set, stays set.
 */
export function mergeAlert(current: Alert | undefined, incoming: Alert): Alert {
  if (!current) return incoming;
  const newer = compareAlertVersions(incoming, current) >= 0 ? incoming : current;
  const escalatedAt = incoming.escalatedAt ?? current.escalatedAt;
  return newer.escalatedAt === escalatedAt ? newer : { ...newer, escalatedAt };
}

/** What the tray says about where an alert stands. */
export function alertStatusWords(alert: Alert): string {
  const base =
    alert.status === 'open'
      ? alert.realertedAt
        ? 'Sounding again'
        : 'Open'
      : alert.status === 'acknowledged'
        ? 'Acknowledged'
        : alert.status === 'latched'
          ? 'Cleared — not acknowledged'
          : needsAcknowledgement(alert)
            ? 'Cleared'
            : 'Resolved';
  return alert.escalatedAt && alert.status !== 'resolved' ? `${base} · escalated` : base;
}

/** "12 s", "4 min", "2 h 5 min": how long ago, for the tray and the tiles. */
export function ageWords(fromIso: string, now: number): string {
  return durationWords(now - Date.parse(fromIso));
}

export function durationWords(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
