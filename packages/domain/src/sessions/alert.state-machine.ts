/**
 * Kept for older imports: the alarm model (statuses, transitions, escalation) lives in
 * `alarm.model.ts`, where a transition depends on the alert's priority, not only its status.
 */
export {
  ALERT_STATUSES,
  AlertStatus,
  ALARM_EVENTS as ALERT_STATUS_EVENTS,
  type AlarmEvent as AlertStatusEvent,
  type IllegalAlarmTransition as IllegalAlertTransition,
  type AlarmTransitionResult as AlertTransitionResult,
  alarmTransition as alertTransition,
  escalationDueAt,
  shouldEscalate,
} from './alarm.model';
