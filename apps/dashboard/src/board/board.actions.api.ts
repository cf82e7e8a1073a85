import { TreatmentSession, type AdverseEvent } from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';
import { ApiProblemError, describeProblem } from '../http/http.problem';

/** What a tile may ask of its session; abort is not offered on the wall board. */
export type TileCommand = 'start' | 'pause' | 'resume' | 'stop';

export interface OperatorAuth {
  token: string;
  origin: string;
}

/** POST /sessions/:id/:command; stop carries the adverse-event record. */
export function commandSession(
  auth: OperatorAuth,
  sessionId: string,
  command: TileCommand,
  adverseEvent?: AdverseEvent,
): Promise<TreatmentSession> {
  return apiRequest(`/sessions/${encodeURIComponent(sessionId)}/${command}`, TreatmentSession, {
    ...auth,
    method: 'POST',
    body: command === 'stop' ? { adverseEvent } : {},
  });
}

const Conflict = z.object({ currentStatus: z.string() });

const VERB: Record<TileCommand, string> = {
  start: 'start',
  pause: 'pause',
  resume: 'resume',
  stop: 'stop',
};

/** Words next to the control: the API's reason for a 403, the session's real state for a 409. */
export function explainCommandProblem(command: TileCommand, error: unknown): string {
  if (!(error instanceof ApiProblemError)) return describeProblem(error);
  const { status, problem } = error;
  if (status === 409) {
    const current = Conflict.safeParse(error.body).data?.currentStatus;
    return current
      ? `Could not ${VERB[command]}: the session is already ${current}. The board will catch up.`
      : `Could not ${VERB[command]}: ${problem.detail ?? 'the session changed meanwhile'}.`;
  }
  if (status === 403)
    return `Not allowed: ${problem.detail ?? 'you may not operate this session'}.`;
  if (status === 404) return 'This session is no longer here. It may have ended.';
  return describeProblem(error);
}
