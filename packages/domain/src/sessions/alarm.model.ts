import { z } from 'zod';
import { type IllegalTransition, type TransitionResult } from '../state-machine';
import { formatMa, formatOhm } from './alert.messages';
import { type Alert, type AlertSeverity } from './alert.schemas';
import { type InstantInput, epochMs, isoAt } from './moment';
import { muscleByCode } from './muscle.catalogue';
import { type SafetyThresholds } from './safety.thresholds';
import { type TreatmentSessionStatus } from './treatment-session.state-machine';

/**
 * The alarm model (IEC 60601-1-8, as a central station such as the IntelliVue Information Center
 * applies it). An alert is `open` (condition present, nobody answered: it sounds); `acknowledged`
 * (present, answered: silent, but sounds again after `realertAfterSeconds` if it still holds);
 * `latched` (a critical whose condition cleared before anyone acknowledged it: it stays on the
 * board and keeps sounding, "Cleared — not acknowledged"); `resolved` (closed, kept in history).
 * Escalation is a flag set once, not a status.
 */
export const ALERT_STATUSES = ['open', 'acknowledged', 'latched', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** `clear`: the condition went away; `end`: the session stopped, completed or aborted; `recur`: a latched condition came back. */
export const ALARM_EVENTS = ['acknowledge', 'clear', 'end', 'realert', 'recur'] as const;
export const AlarmEvent = z.enum(ALARM_EVENTS);
export type AlarmEvent = z.infer<typeof AlarmEvent>;

export type AlarmView = Pick<Alert, 'status' | 'severity' | 'acknowledgedAt'>;
export type IllegalAlarmTransition = IllegalTransition<AlertStatus, AlarmEvent>;
export type AlarmTransitionResult = TransitionResult<AlertStatus, AlarmEvent>;

/** Only a critical latches: nobody may miss that the patient got current they should not have. */
const closeUnanswered = (alert: AlarmView): AlertStatus =>
  alert.severity === 'critical' ? 'latched' : 'resolved';

/** The legal moves from each status for this alert; anything absent is illegal. */
function movesOf(alert: AlarmView): Partial<Record<AlarmEvent, AlertStatus>> {
  switch (alert.status) {
    case 'open':
      return {
        acknowledge: 'acknowledged',
        clear: closeUnanswered(alert),
        end: closeUnanswered(alert),
      };
    case 'acknowledged':
      return { clear: 'resolved', end: 'resolved', realert: 'open' };
    case 'latched':
      return { acknowledge: 'resolved', recur: 'open' };
    case 'resolved':
      // A self-cleared warning may be dismissed once ("seen"); an answered alert is final.
      return alert.acknowledgedAt === null ? { acknowledge: 'resolved' } : {};
  }
}

export function alarmTransition(alert: AlarmView, event: AlarmEvent): AlarmTransitionResult {
  const moves = movesOf(alert);
  const next = moves[event];
  if (next !== undefined) return { ok: true, status: next };
  const allowed = Object.keys(moves);
  const why =
    allowed.length > 0
      ? `allowed: ${allowed.join(', ')}`
      : alert.status === 'resolved'
        ? 'it was acknowledged and is closed'
        : `${alert.status} is final`;
  return {
    ok: false,
    error: {
      code: 'illegal_transition',
      from: alert.status,
      event,
      message: `cannot ${event} an alert that is ${alert.status} (${why})`,
    },
  };
}

/** How an acknowledgement is recorded: a resolved alert nobody answered is "dismissed". */
export function acknowledgementKind(alert: Pick<Alert, 'status'>): 'acknowledged' | 'dismissed' {
  return alert.status === 'resolved' ? 'dismissed' : 'acknowledged';
}

export const isSounding = (alert: Pick<Alert, 'status'>): boolean =>
  alert.status === 'open' || alert.status === 'latched';

/** Sounding, or a self-cleared warning/technical alert nobody has seen yet ("dismissable"). */
export function needsAcknowledgement(
  alert: Pick<Alert, 'status' | 'severity' | 'acknowledgedAt'>,
): boolean {
  if (isSounding(alert)) return true;
  return (
    alert.status === 'resolved' && alert.acknowledgedAt === null && alert.severity !== 'critical'
  );
}

/** When an acknowledged alert whose condition persists sounds again; null unless acknowledged. */
export function realertDueAt(
  alert: Pick<Alert, 'status' | 'acknowledgedAt'>,
  thresholds: Pick<SafetyThresholds, 'realertAfterSeconds'>,
): string | null {
  if (alert.status !== 'acknowledged' || alert.acknowledgedAt === null) return null;
  return isoAt(epochMs(alert.acknowledgedAt) + thresholds.realertAfterSeconds * 1000);
}

export function shouldRealert(
  alert: Pick<Alert, 'status' | 'acknowledgedAt'>,
  now: InstantInput,
  thresholds: Pick<SafetyThresholds, 'realertAfterSeconds'>,
): boolean {
  const due = realertDueAt(alert, thresholds);
  return due !== null && epochMs(now) >= epochMs(due);
}

/** When an alert escalates if nobody acknowledges it; null for warning and technical alerts. */
export function escalationDueAt(
  alert: Pick<Alert, 'severity' | 'raisedAt'>,
  thresholds: Pick<SafetyThresholds, 'escalateAfterSeconds'>,
): string | null {
  if (alert.severity !== 'critical') return null;
  return isoAt(epochMs(alert.raisedAt) + thresholds.escalateAfterSeconds * 1000);
}

/**
 * Escalate now: a critical nobody acknowledged (open, or latched: cleared but unanswered) for
 * `escalateAfterSeconds` since it was raised, not escalated before. At most once per alert.
 */
export function shouldEscalate(
  alert: Pick<Alert, 'severity' | 'status' | 'raisedAt' | 'escalatedAt'>,
  now: InstantInput,
  thresholds: Pick<SafetyThresholds, 'escalateAfterSeconds'>,
): boolean {
  const due = escalationDueAt(alert, thresholds);
  return (
    due !== null && isSounding(alert) && alert.escalatedAt === null && epochMs(now) >= epochMs(due)
  );
}

/** How each priority looks and sounds (IEC 60601-1-8 pulse patterns), the same on every screen. */
export const ALARM_PRESENTATION = {
  critical: {
    label: 'Critical',
    shape: 'triangle',
    tone: 'high',
    repeatSeconds: 10,
    colour: '#c62828',
  },
  warning: {
    label: 'Warning',
    shape: 'diamond',
    tone: 'medium',
    repeatSeconds: 25,
    colour: '#f9a825',
  },
  technical: {
    label: 'Technical',
    shape: 'circle',
    tone: 'low',
    repeatSeconds: 0,
    colour: '#0277bd',
  },
} as const satisfies Record<
  AlertSeverity,
  {
    label: string;
    shape: 'triangle' | 'diamond' | 'circle';
    tone: 'high' | 'medium' | 'low';
    /** 0: sounds once. */
    repeatSeconds: number;
    colour: string;
  }
>;

/** High: 2 bursts of 5 pulses; medium: 3 pulses; low: 1 pulse. */
export const ALARM_TONE_PULSES = { high: [5, 5], medium: [3], low: [1] } as const;

type HeadlineView = Pick<Alert, 'kind' | 'channel' | 'muscle' | 'side' | 'value' | 'limit'>;

/** "Ch 1 right infraspinatus", "Ch 4 multifidus (midline)", "Ch 2". */
function channelWords(alert: HeadlineView): string {
  const ch = `Ch ${alert.channel ?? '?'}`;
  if (alert.muscle === null) return ch;
  const muscle = muscleByCode(alert.muscle).name.toLowerCase();
  if (alert.side === 'midline') return `${ch} ${muscle} (midline)`;
  return alert.side === null ? `${ch} ${muscle}` : `${ch} ${alert.side} ${muscle}`;
}

const formatSeconds = (seconds: number): string => `${Math.round(seconds * 10) / 10} s`;

/**
 * The value against its limit, in a few words for a tile or tray: "Ch 1 right infraspinatus 23.5 mA
 * > ceiling 18 mA". Alerts stored before value/limit existed fall back to the kind in words.
 */
export function alertHeadline(
  alert: HeadlineView,
  thresholds?: Pick<SafetyThresholds, 'jumpWindowMs'>,
): string {
  const { value, limit } = alert;
  const known = value !== null && limit !== null;
  switch (alert.kind) {
    case 'intensity_over_ceiling':
      return known
        ? `${channelWords(alert)} ${formatMa(value)} mA > ceiling ${formatMa(limit)} mA`
        : `${channelWords(alert)} above ceiling`;
    case 'intensity_over_device_limit':
      return known
        ? `${channelWords(alert)} ${formatMa(value)} mA > device limit ${formatMa(limit)} mA`
        : `${channelWords(alert)} above device limit`;
    case 'impedance_out_of_range':
      if (!known) return `${channelWords(alert)} impedance out of range`;
      return value > limit
        ? `${channelWords(alert)} impedance ${formatOhm(value)} Ω > max ${formatOhm(limit)} Ω`
        : `${channelWords(alert)} impedance ${formatOhm(value)} Ω < min ${formatOhm(limit)} Ω`;
    case 'intensity_jump': {
      if (!known) return `${channelWords(alert)} intensity jump`;
      const window = formatSeconds((thresholds?.jumpWindowMs ?? 1000) / 1000);
      return `${channelWords(alert)} rose ${formatMa(value)} mA in ${window} > ${formatMa(limit)} mA`;
    }
    case 'device_offline':
      return known
        ? `Device offline ${Math.floor(value)} s > ${formatSeconds(limit)}`
        : 'Device offline';
    case 'session_overrun':
      return known
        ? `Overrun ${Math.floor(value)} min > allowed ${Math.round(limit * 100) / 100} min`
        : 'Session overrun';
    case 'monitoring_degraded':
      return 'Monitoring degraded';
  }
}

/** "North Clinic · Room 2 · A.G.": clinic, room and patient initials, skipping what is unknown. */
export function alertWhere(
  alert: Pick<Alert, 'clinicName' | 'roomName' | 'patientInitials'>,
): string {
  return [alert.clinicName, alert.roomName, alert.patientInitials]
    .filter((part): part is string => part !== null && part !== '')
    .join(' · ');
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, technical: 2 };
/** Tray groups: sounding, then acknowledged, then resolved. */
const GROUP_RANK: Record<AlertStatus, number> = {
  open: 0,
  latched: 0,
  acknowledged: 1,
  resolved: 2,
};
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The tray's order: sounding (open, latched) first, then acknowledged, then resolved; within each,
 * critical → warning → technical, then newest first (by `raisedAt`); the id breaks ties so the order
 * never flickers. A comparator for `Array.prototype.sort`.
 */
export function compareAlarms(
  a: Pick<Alert, 'id' | 'status' | 'severity' | 'raisedAt'>,
  b: Pick<Alert, 'id' | 'status' | 'severity' | 'raisedAt'>,
): number {
  return (
    GROUP_RANK[a.status] - GROUP_RANK[b.status] ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    epochMs(b.raisedAt) - epochMs(a.raisedAt) ||
    byId(a.id, b.id)
  );
}

/** Order of statuses within one occurrence and re-alert: an alert only moves forward. */
const STATUS_RANK: Record<AlertStatus, number> = {
  open: 0,
  acknowledged: 1,
  latched: 2,
  resolved: 3,
};

/**
 * A monotonically increasing version of an alert's state: [occurrences, realertedAt ms, status
 * rank, acknowledged?]. Compare with `compareAlertVersions`: a stale event never overwrites a newer
 * one, while a re-alert (realertedAt grew) or a recurrence (occurrences grew) re-opens it.
 */
export function alertVersion(
  alert: Pick<Alert, 'occurrences' | 'realertedAt' | 'status' | 'acknowledgedAt'>,
): [number, number, number, number] {
  return [
    alert.occurrences,
    alert.realertedAt === null ? 0 : epochMs(alert.realertedAt),
    STATUS_RANK[alert.status],
    alert.acknowledgedAt === null ? 0 : 1,
  ];
}

/** Negative when `a` is older than `b`, 0 when the same, positive when newer. */
export function compareAlertVersions(
  a: Parameters<typeof alertVersion>[0],
  b: Parameters<typeof alertVersion>[0],
): number {
  const [va, vb] = [alertVersion(a), alertVersion(b)];
  for (let i = 0; i < va.length; i++) {
    const d = (va[i] ?? 0) - (vb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Board triage ranks: lower needs attention sooner. */
export const ATTENTION_RANKS = {
  critical: 0,
  warning: 1,
  technical: 2,
  running: 3,
  paused: 4,
  ready: 5,
  ended: 6,
} as const;
export type AttentionRank = (typeof ATTENTION_RANKS)[keyof typeof ATTENTION_RANKS];

/**
 * How soon a session needs someone: an unacknowledged (sounding) critical, warning or technical
 * alert first, then running, paused and ready sessions; an ended session (kept only for a latched
 * alert) ranks by its alerts, else last.
 */
export function sessionAttention(
  session: { status: TreatmentSessionStatus },
  alerts: readonly Pick<Alert, 'status' | 'severity'>[],
): AttentionRank {
  let worst: AttentionRank | null = null;
  for (const alert of alerts) {
    if (!isSounding(alert)) continue;
    const rank = ATTENTION_RANKS[alert.severity];
    if (worst === null || rank < worst) worst = rank;
  }
  if (worst !== null) return worst;
  switch (session.status) {
    case 'running':
    case 'paused':
    case 'ready':
      return ATTENTION_RANKS[session.status];
    default:
      return ATTENTION_RANKS.ended;
  }
}

const naturalCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** What triage compares: the rank (`sessionAttention`) and the room; the session id breaks ties. */
export interface TriageEntry {
  rank: number;
  roomName: string;
  sessionId: string;
}

/** By rank, then room name in natural order ("Room 2" before "Room 10"), then session id. */
export function compareSessionsForTriage(a: TriageEntry, b: TriageEntry): number {
  return (
    a.rank - b.rank ||
    naturalCollator.compare(a.roomName, b.roomName) ||
    byId(a.sessionId, b.sessionId)
  );
}

/** Audio pause, per screen: timed only (1–2 min), never a permanent mute. */
export const AUDIO_PAUSE_DEFAULT_MS = 120_000;
export const AUDIO_PAUSE_MIN_MS = 60_000;
export const AUDIO_PAUSE_MAX_MS = 120_000;

export interface AudioPauseState {
  pausedUntil: number;
}

/** Pause from `now` (epoch ms) for `ms`, clamped to 1–2 minutes. Pressing again restarts the pause. */
export function pauseAudio(now: number, ms: number = AUDIO_PAUSE_DEFAULT_MS): AudioPauseState {
  const clamped = Math.min(AUDIO_PAUSE_MAX_MS, Math.max(AUDIO_PAUSE_MIN_MS, ms));
  return { pausedUntil: now + clamped };
}

/** Milliseconds the pause has left; 0 when not paused (or `state` is null). */
export function audioPauseRemainingMs(state: AudioPauseState | null, now: number): number {
  return state === null ? 0 : Math.max(0, state.pausedUntil - now);
}
