/** The answer to an event a status does not allow; the API turns it into a 409 naming the move. */
export interface IllegalTransition<S extends string, E extends string> {
  code: 'illegal_transition';
  from: S;
  event: E;
  message: string;
}

export type TransitionResult<S extends string, E extends string> =
  | { ok: true; status: S }
  | { ok: false; error: IllegalTransition<S, E> };

/**
 * A transition function over a table of legal moves (anything absent is illegal). `subject` names
 * the thing in the error ("an appointment"); a status with no moves is final.
 */
export function transitionsOf<S extends string, E extends string>(
  table: Record<S, Partial<Record<E, S>>>,
  subject: string,
): (status: S, event: E) => TransitionResult<S, E> {
  return (status, event) => {
    const moves: Partial<Record<E, S>> = table[status];
    const next = moves[event];
    if (next !== undefined) return { ok: true, status: next };
    const allowed = Object.keys(moves);
    const why = allowed.length === 0 ? `${status} is final` : `allowed: ${allowed.join(', ')}`;
    return {
      ok: false,
      error: {
        code: 'illegal_transition',
        from: status,
        event,
        message: `cannot ${event} ${subject} that is ${status} (${why})`,
      },
    };
  };
}
