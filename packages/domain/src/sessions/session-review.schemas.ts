import { z } from 'zod';
import { EntityId, Instant } from '../scheduling/calendar.schemas';
import { countParam } from '../params.schemas';
import { Alert, AlertAcknowledgement } from './alert.schemas';
import { TelemetryPoint } from './telemetry.downsample';
import { TreatmentSession } from './treatment-session.schemas';
import { TREATMENT_SESSION_STATUSES } from './treatment-session.state-machine';

/**
 * Post-session review contracts: who and where a session was (names, not only ids, so the review
 * list and header read without another request), its alerts with every acknowledgement, and its
 * downsampled telemetry.
 */

/** Alerts of a session per priority; `total` is their sum. */
export const AlertCounts = z.object({
  critical: z.number().int().min(0),
  warning: z.number().int().min(0),
  technical: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type AlertCounts = z.infer<typeof AlertCounts>;

/** A session as the review shows it: the session plus the names of its clinic, room and practitioner. */
export const SessionReviewRow = TreatmentSession.extend({
  clinicName: z.string(),
  roomName: z.string(),
  practitionerName: z.string(),
  /** "OM": enough to tell sessions apart on a screen others may see, nothing more. */
  patientInitials: z.string(),
  alertCounts: AlertCounts,
  /** The session's own impedance window (copied from the clinic at creation): the impedance chart's limits. */
  impedanceLimitsOhm: z.object({ min: z.number(), max: z.number() }),
});
export type SessionReviewRow = z.infer<typeof SessionReviewRow>;

/** An alert on review, with its whole acknowledgement history (oldest first). */
export const ReviewAlert = Alert.extend({
  acknowledgements: z.array(AlertAcknowledgement),
});
export type ReviewAlert = z.infer<typeof ReviewAlert>;

/** `GET /session-reviews/:id`: the header, and the alerts in the order they were raised. */
export const SessionReview = z.object({
  session: SessionReviewRow,
  alerts: z.array(ReviewAlert),
});
export type SessionReview = z.infer<typeof SessionReview>;

/** `GET /session-reviews?clinicId=&status=&limit=`: one clinic's sessions, newest first. */
export const SessionReviewListQuery = z.strictObject({
  clinicId: EntityId,
  status: z.enum(TREATMENT_SESSION_STATUSES).optional(),
  limit: countParam({ min: 1, max: 200 }).default(200),
});
export type SessionReviewListQuery = z.infer<typeof SessionReviewListQuery>;

/** `GET /sessions/:id/telemetry`: the session's samples in the range, downsampled into buckets. */
export const TelemetryReview = z.object({
  sessionId: EntityId,
  from: Instant,
  to: Instant,
  bucketMs: z.number().int().positive(),
  /** Stored samples in the range. */
  samples: z.number().int().min(0),
  points: z.array(TelemetryPoint),
});
export type TelemetryReview = z.infer<typeof TelemetryReview>;
