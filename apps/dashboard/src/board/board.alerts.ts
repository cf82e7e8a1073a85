import { type Alert } from '@tautline/domain';

/** Unresolved alerts need someone; a resolved one stays in the tray (persistent) but sinks below them. */
const isActive = (alert: Alert) => alert.status !== 'resolved';
/** Technical (the monitoring itself, e.g. the server refusing telemetry) is a priority of its own, below the patient's. */
const SEVERITY_RANK: Record<Alert['severity'], number> = { critical: 0, warning: 1, technical: 2 };
const STATUS_RANK: Record<Alert['status'], number> = { open: 0, acknowledged: 1, resolved: 2 };

/**
 * The tray's order: unresolved before resolved, then critical, warning, technical, then newest first
 * (by `raisedAt`); the id breaks ties so the order never flickers. Pure: returns a new array.
 */
export function orderAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      Number(!isActive(a)) - Number(!isActive(b)) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Merges what we hold with what arrived (REST, snapshot or event, in any order): an alert only moves
 * forward (open → acknowledged → resolved) and escalation, once set, stays set.
 */
export function mergeAlert(current: Alert | undefined, incoming: Alert): Alert {
  if (!current) return incoming;
  const newer = STATUS_RANK[incoming.status] >= STATUS_RANK[current.status] ? incoming : current;
  const escalatedAt = incoming.escalatedAt ?? current.escalatedAt;
  return newer.escalatedAt === escalatedAt ? newer : { ...newer, escalatedAt };
}

/** "Open", "Acknowledged", "Resolved", with "escalated" added when it was. */
export function alertStatusWords(alert: Alert): string {
  const base = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' }[alert.status];
  return alert.escalatedAt ? `${base} · escalated` : base;
}

/** "12 s", "4 min", "2 h 5 min": how long ago, for the tray. */
export function ageWords(fromIso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
