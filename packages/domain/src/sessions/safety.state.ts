import { z } from 'zod';
import { type AlertKey, AlertKind } from './alert.schemas';

/**
 * What the safety rules remember between batches. Plain JSON (numbers are epoch ms of the device
 * clock), because the worker keeps it in Redis; `SafetyState.parse` checks what comes back.
 */
const OpenCondition = z.object({
  kind: AlertKind,
  channel: z.number().int().nullable(),
  raisedAt: z.number(),
  /** The first sample without the condition since it last held; null while it holds. */
  absentSince: z.number().nullable(),
});
export type OpenCondition = z.infer<typeof OpenCondition>;

export const SafetyState = z.object({
  version: z.literal(1),
  /** The last sample judged: a duplicate or older seq is ignored. */
  lastSeq: z.number().int().nullable(),
  lastSampleAt: z.number().nullable(),
  /**
   * Per channel ("1"…"8"): the ascending minima of intensity over the jump window, `[atMs, mA]`
   * (a sliding-window minimum; the first entry is the lowest reading of the last window).
   */
  intensityMinima: z.record(z.string(), z.array(z.tuple([z.number(), z.number()]))),
  /** Conditions with an unresolved alert, by alert key. */
  open: z.record(z.string(), OpenCondition),
});
export type SafetyState = z.infer<typeof SafetyState>;

export function initialSafetyState(): SafetyState {
  return { version: 1, lastSeq: null, lastSampleAt: null, intensityMinima: {}, open: {} };
}

/** A copy the rules may change: callers keep their state untouched (retries, replays). */
export function copySafetyState(state: SafetyState): SafetyState {
  const intensityMinima: SafetyState['intensityMinima'] = {};
  for (const [channel, minima] of Object.entries(state.intensityMinima)) {
    intensityMinima[channel] = minima.map(([at, ma]) => [at, ma]);
  }
  const open: SafetyState['open'] = {};
  for (const [key, condition] of Object.entries(state.open)) open[key] = { ...condition };
  return { ...state, intensityMinima, open };
}

/** The keys of every unresolved alert, e.g. for the live board. */
export function openAlertKeys(state: SafetyState): AlertKey[] {
  return Object.keys(state.open) as AlertKey[];
}
