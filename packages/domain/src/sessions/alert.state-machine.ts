import { z } from 'zod';
import { type IllegalTransition, type TransitionResult, transitionsOf } from '../state-machine';
import { type Alert } from './alert.schemas';
import { type InstantInput, epochMs, isoAt } from './moment';
import { type SafetyThresholds } from './safety.thresholds';

/**
 * An alert is `open` when raised; a supervisor acknowledges it ("I've seen it, I'm on it"), and it
 * resolves when its condition clears (or the session ends), acknowledged or not. Escalation is
 * not a status but a flag set once, so an escalated alert still shows whether anyone answered.
 */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const ALERT_STATUS_EVENTS = ['acknowledge', 'resolve'] as const;
export const AlertStatusEvent = z.enum(ALERT_STATUS_EVENTS);
export type AlertStatusEvent = z.infer<typeof AlertStatusEvent>;

export const ALERT_TRANSITIONS = {
  open: { acknowledge: 'acknowledged', resolve: 'resolved' },
  acknowledged: { resolve: 'resolved' },
  resolved: {},
} as const satisfies Record<AlertStatus, Partial<Record<AlertStatusEvent, AlertStatus>>>;

export type IllegalAlertTransition = IllegalTransition<AlertStatus, AlertStatusEvent>;
export type AlertTransitionResult = TransitionResult<AlertStatus, AlertStatusEvent>;

export const alertTransition = transitionsOf<AlertStatus, AlertStatusEvent>(
  ALERT_TRANSITIONS,
  'an alert',
);

type EscalationView = Pick<Alert, 'severity' | 'status' | 'raisedAt' | 'escalatedAt'>;

/** When an alert escalates if nobody acknowledges it; null for warnings. */
export function escalationDueAt(
  alert: Pick<Alert, 'severity' | 'raisedAt'>,
  thresholds: SafetyThresholds,
): string | null {
  if (alert.severity !== 'critical') return null;
  return isoAt(epochMs(alert.raisedAt) + thresholds.escalateAfterSeconds * 1000);
}

/**
 * Whether to escalate now: a critical alert still open (nobody acknowledged it, and its condition
 * has not cleared) for `escalateAfterSeconds`, not escalated before. At most once per alert.
 */
export function shouldEscalate(
  alert: EscalationView,
  now: InstantInput,
  thresholds: SafetyThresholds,
): boolean {
  const due = escalationDueAt(alert, thresholds);
  return (
    due !== null &&
    alert.status === 'open' &&
    alert.escalatedAt === null &&
    epochMs(now) >= epochMs(due)
  );
}
