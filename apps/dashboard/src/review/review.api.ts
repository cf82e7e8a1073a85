import {
  Alert,
  EntityId,
  Instant,
  TelemetryPoint,
  TreatmentSession,
  type TreatmentSessionStatus,
} from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';

/** `GET /sessions/:id/telemetry`: the session's samples downsampled into buckets (session-review.service.ts). */
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

export type SessionFilter = 'completed' | 'aborted' | 'all';

const SessionList = z.array(TreatmentSession);
const AlertList = z.array(Alert);

export function fetchSessions(
  token: string,
  clinicId: string,
  filter: SessionFilter,
  origin = '',
): Promise<TreatmentSession[]> {
  const query = new URLSearchParams({ clinicId });
  if (filter !== 'all') query.set('status', filter satisfies TreatmentSessionStatus);
  return apiRequest(`/sessions?${query.toString()}`, SessionList, { token, origin });
}

export function fetchSession(
  token: string,
  sessionId: string,
  origin = '',
): Promise<TreatmentSession> {
  return apiRequest(`/sessions/${encodeURIComponent(sessionId)}`, TreatmentSession, {
    token,
    origin,
  });
}

/** `resolutionMs` omitted: the server picks about 600 buckets over the span. */
export function fetchTelemetry(
  token: string,
  sessionId: string,
  resolutionMs: number | null,
  origin = '',
): Promise<TelemetryReview> {
  const query = resolutionMs === null ? '' : `?resolution=${resolutionMs}`;
  return apiRequest(
    `/sessions/${encodeURIComponent(sessionId)}/telemetry${query}`,
    TelemetryReview,
    { token, origin },
  );
}

export function fetchSessionAlerts(
  token: string,
  sessionId: string,
  origin = '',
): Promise<Alert[]> {
  return apiRequest(
    `/alerts?${new URLSearchParams({ sessionId, limit: '500' }).toString()}`,
    AlertList,
    { token, origin },
  );
}
