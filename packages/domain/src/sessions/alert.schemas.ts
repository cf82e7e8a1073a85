import { z } from 'zod';
import {
  EntityId,
  FROM_NOT_AFTER_TO,
  fromNotAfterTo,
  Instant,
} from '../scheduling/calendar.schemas';
import { ALERT_STATUSES, AlertStatus } from './alarm.model';
import { countParam } from '../params.schemas';
import { BodySide, MuscleCode } from './muscle.catalogue';
import { noteText } from './printable';

export const ALERT_KINDS = [
  'intensity_over_ceiling',
  'intensity_over_device_limit',
  'impedance_out_of_range',
  'intensity_jump',
  'device_offline',
  'session_overrun',
  'monitoring_degraded',
] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

/**
 * IEC 60601-1-8 priorities. `technical`: about the measurement rather than the patient (a lead off, poor
 * contact, a short, the server refusing telemetry); never escalated and never latched.
 */
export const ALERT_SEVERITIES = ['critical', 'warning', 'technical'] as const;
export const AlertSeverity = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** Critical: current the patient should not be getting, or nobody can see what they get (offline). */
export const ALERT_SEVERITY = {
  intensity_over_ceiling: 'critical',
  intensity_over_device_limit: 'critical',
  impedance_out_of_range: 'technical',
  intensity_jump: 'warning',
  device_offline: 'critical',
  session_overrun: 'warning',
  monitoring_degraded: 'technical',
} as const satisfies Record<AlertKind, AlertSeverity>;

/** What an alert is about: one output channel, the whole device, the session's time, or a whole clinic's monitoring. */
export const ALERT_SCOPE = {
  intensity_over_ceiling: 'channel',
  intensity_over_device_limit: 'channel',
  impedance_out_of_range: 'channel',
  intensity_jump: 'channel',
  device_offline: 'device',
  session_overrun: 'session',
  monitoring_degraded: 'clinic',
} as const satisfies Record<AlertKind, 'channel' | 'device' | 'session' | 'clinic'>;

/**
 * Identifies one condition of a session: `intensity_jump:3` for channel 3, `device_offline` for
 * the device. A session has at most one unresolved alert per key (no repeats while it holds).
 */
export type AlertKey = AlertKind | `${AlertKind}:${number}`;

export function alertKey(kind: AlertKind, channel: number | null): AlertKey {
  return channel === null ? kind : `${kind}:${channel}`;
}

export function parseAlertKey(key: AlertKey): { kind: AlertKind; channel: number | null } {
  const [kind, channel] = key.split(':');
  return { kind: AlertKind.parse(kind), channel: channel === undefined ? null : Number(channel) };
}

export const Alert = z.object({
  id: EntityId,
  /** Null for a clinic-level alert (`monitoring_degraded`), which belongs to no session or room. */
  sessionId: EntityId.nullable(),
  clinicId: EntityId,
  roomId: EntityId.nullable(),
  kind: AlertKind,
  severity: AlertSeverity,
  /** The output channel for channel alerts; null for device and session alerts. */
  channel: z.number().int().min(1).max(8).nullable(),
  muscle: MuscleCode.nullable(),
  /** The planned channel's side, snapshot at raise. */
  side: BodySide.nullable(),
  message: z.string(),
  /** The measured value and the limit it broke, in the unit of the message (mA, Ω, s, min). */
  value: z.number().nullable(),
  limit: z.number().nullable(),
  /** Where, snapshot at raise, so the alert reads the same after a rename: "North Clinic · Room 2 · A.G.". */
  clinicName: z.string().nullable(),
  roomName: z.string().nullable(),
  patientInitials: z.string().nullable(),
  status: AlertStatus,
  raisedAt: Instant,
  /** When the condition last cleared (a latched alert has it and is still not resolved). */
  clearedAt: Instant.nullable(),
  /** When the alert closed. */
  resolvedAt: Instant.nullable(),
  /** 1, plus one each time the condition came back while the alert was latched. */
  occurrences: z.number().int().min(1),
  /** The last time an acknowledged condition that persisted sounded again. */
  realertedAt: Instant.nullable(),
  /** The current acknowledgement (cleared by a re-alert; the history keeps every one). */
  acknowledgedAt: Instant.nullable(),
  acknowledgedBy: EntityId.nullable(),
  acknowledgedByName: z.string().nullable(),
  acknowledgementNote: z.string().nullable(),
  /** Set once, when a critical alert went unacknowledged too long; never cleared. */
  escalatedAt: Instant.nullable(),
});
export type Alert = z.infer<typeof Alert>;

/** `GET /alerts`: the history, filtered; `from ≤ to` (an empty window is a 400, not a silent []). */
export const AlertListQuery = z
  .strictObject({
    clinicId: EntityId.optional(),
    sessionId: EntityId.optional(),
    status: z.enum(ALERT_STATUSES).optional(),
    severity: AlertSeverity.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    limit: countParam({ min: 1, max: 500 }).default(100),
  })
  .refine(fromNotAfterTo, FROM_NOT_AFTER_TO);
export type AlertListQuery = z.infer<typeof AlertListQuery>;

/** One acknowledgement (or dismissal of a self-cleared alert) in an alert's history, newest last. */
export const AlertAcknowledgement = z.object({
  at: Instant,
  byUserId: EntityId,
  byName: z.string().nullable(),
  note: z.string().nullable(),
  kind: z.enum(['acknowledged', 'dismissed']),
});
export type AlertAcknowledgement = z.infer<typeof AlertAcknowledgement>;

export const AcknowledgeAlertRequest = z.strictObject({ note: noteText(500).optional() });
export type AcknowledgeAlertRequest = z.infer<typeof AcknowledgeAlertRequest>;

const isAlertKey = (value: unknown): value is AlertKey => {
  if (typeof value !== 'string') return false;
  const [kind, channel, ...rest] = value.split(':');
  if (rest.length > 0 || !AlertKind.safeParse(kind).success) return false;
  return channel === undefined || /^[1-8]$/.test(channel);
};
export const AlertKeySchema = z.custom<AlertKey>(isAlertKey, {
  message: 'must be an alert kind, with :channel for channel alerts',
});

/** An alert the safety rules raise; the worker stores it (becoming an `Alert`) and pushes it live. */
export const AlertDraft = z.object({
  key: AlertKeySchema,
  kind: AlertKind,
  severity: AlertSeverity,
  channel: z.number().int().min(1).max(8).nullable(),
  muscle: MuscleCode.nullable(),
  /** Plain words naming room, channel and muscle, for the live board and notifications. */
  message: z.string(),
  at: Instant,
  /** The measured value and the limit it broke, in the unit of the message (mA, Ω, s, min). */
  value: z.number().optional(),
  limit: z.number().optional(),
});
export type AlertDraft = z.infer<typeof AlertDraft>;

/** An alert whose condition has cleared: the worker resolves the session's unresolved alert with this key. */
export const AlertResolution = z.object({
  key: AlertKeySchema,
  kind: AlertKind,
  channel: z.number().int().min(1).max(8).nullable(),
  at: Instant,
});
export type AlertResolution = z.infer<typeof AlertResolution>;
