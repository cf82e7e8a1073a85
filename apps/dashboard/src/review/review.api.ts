import {
  SessionReview,
  SessionReviewRow,
  TelemetryReview,
  type TreatmentSessionStatus,
} from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';

export type SessionFilter = 'completed' | 'aborted' | 'all';

const SessionReviewList = z.array(SessionReviewRow);

/** `GET /session-reviews`: one clinic's sessions, newest first, with names and alert counts. */
export function fetchSessionReviews(
  token: string,
  clinicId: string,
  filter: SessionFilter,
  origin = '',
): Promise<SessionReviewRow[]> {
  const query = new URLSearchParams({ clinicId });
  if (filter !== 'all') query.set('status', filter satisfies TreatmentSessionStatus);
  return apiRequest(`/session-reviews?${query.toString()}`, SessionReviewList, { token, origin });
}

/** `GET /session-reviews/:id`: the header (who, where) and the alerts with their acknowledgements. */
export function fetchSessionReview(
  token: string,
  sessionId: string,
  origin = '',
): Promise<SessionReview> {
  return apiRequest(`/session-reviews/${encodeURIComponent(sessionId)}`, SessionReview, {
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
