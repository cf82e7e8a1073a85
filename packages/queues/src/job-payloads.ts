import { TelemetrySample } from '@tautline/domain';
import { z } from 'zod';
import type { QueueName } from './queue-names';

/** Job payloads carry ids and short operational text only: never patient data (PHI). */
export const NoticeJob = z.object({
  organisationId: z.uuid(),
  clinicId: z.uuid(),
  message: z.string().min(1).max(280),
  postedBy: z.string().min(1),
  postedAt: z.iso.datetime(),
});
export type NoticeJob = z.infer<typeof NoticeJob>;

/** One outbound message row to send; the job id is the row id, so a row is queued at most once. */
export const ReminderSendJob = z.object({ reminderId: z.uuid() });
export type ReminderSendJob = z.infer<typeof ReminderSendJob>;

/** The reconciler's tick: re-creates jobs missing from Redis from the database. */
export const ReminderReconcileJob = z.object({}).strict();
export type ReminderReconcileJob = z.infer<typeof ReminderReconcileJob>;

/**
 * One accepted telemetry batch of a device's running session. Readings, never patient data; the
 * API validated the batch, the worker validates the job again (defence in depth).
 */
export const TelemetryJob = z.object({
  organisationId: z.uuid(),
  clinicId: z.uuid(),
  sessionId: z.uuid(),
  deviceId: z.uuid(),
  /** When the API accepted it: the device-to-board latency starts here. */
  receivedAt: z.iso.datetime(),
  samples: z.array(TelemetrySample).min(1).max(500),
});
export type TelemetryJob = z.infer<typeof TelemetryJob>;

/** Queue → job name → payload: the typed contract between producers and processors. */
export interface JobPayloads {
  notices: { 'notice.post': NoticeJob };
  reminders: { 'reminder.send': ReminderSendJob; 'reminders.reconcile': ReminderReconcileJob };
  telemetry: { 'telemetry.batch': TelemetryJob };
}

export const JOB_SCHEMAS = {
  notices: { 'notice.post': NoticeJob },
  reminders: { 'reminder.send': ReminderSendJob, 'reminders.reconcile': ReminderReconcileJob },
  telemetry: { 'telemetry.batch': TelemetryJob },
} as const satisfies {
  [Q in QueueName]: { [J in keyof JobPayloads[Q]]: z.ZodType<JobPayloads[Q][J]> };
};

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q> = JobName<Q>> = JobPayloads[Q][J];
