/** An instant as the callers have it: ISO 8601 text (REST, database) or epoch milliseconds (timers). */
export type InstantInput = string | number;

export function epochMs(at: InstantInput): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(at)}`);
  return ms;
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();
