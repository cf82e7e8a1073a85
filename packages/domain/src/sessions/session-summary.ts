import { z } from 'zod';
import { Instant } from '../scheduling/calendar.schemas';
import { BodySide, MuscleCode } from './muscle.catalogue';
import { isoAt } from './moment';
import { type TelemetrySample } from './telemetry.schemas';
import { type SessionPlan } from './treatment-session.schemas';

/**
 * The end-of-session record, built incrementally while telemetry arrives so the worker never
 * re-reads a session's samples: `emptySummary` at start, `accumulateSummary` per batch (the
 * accumulator is plain JSON, kept in Redis beside the safety state), `finishSummary` at the end.
 */

/** A reading above the ceiling counts for the time since the channel's previous one, at most this. */
export const SUMMARY_MAX_INTERVAL_MS = 1000;

export const ChannelSummary = z.object({
  channel: z.number().int(),
  muscle: MuscleCode,
  side: BodySide,
  intensityCeilingMa: z.number(),
  /** Null when the channel never reported. */
  maxIntensityMa: z.number().nullable(),
  avgIntensityMa: z.number().nullable(),
  secondsAboveCeiling: z.number().min(0),
  readings: z.number().int().min(0),
});
export type ChannelSummary = z.infer<typeof ChannelSummary>;

export const SessionSummary = z.object({
  runningSeconds: z.number().min(0),
  plannedDurationMinutes: z.number().int(),
  samples: z.number().int().min(0),
  firstSampleAt: Instant.nullable(),
  lastSampleAt: Instant.nullable(),
  /** The longest silence between two samples: dropouts show here. */
  longestGapSeconds: z.number().min(0),
  channels: z.array(ChannelSummary),
  /** `technical` (lead off, impedance) was counted from issue 11 on; older summaries read 0. */
  alerts: z.object({
    critical: z.number().int().min(0),
    warning: z.number().int().min(0),
    technical: z.number().int().min(0).default(0),
  }),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

const ChannelTally = z.object({
  muscle: MuscleCode,
  side: BodySide,
  intensityCeilingMa: z.number(),
  maxMa: z.number().nullable(),
  sumMa: z.number(),
  readings: z.number().int(),
  msAboveCeiling: z.number(),
  /** The channel's previous reading (epoch ms), for the time above the ceiling. */
  lastAt: z.number().nullable(),
});
type ChannelTally = z.infer<typeof ChannelTally>;

/** Plain JSON (times in epoch ms); `SummaryAccumulator.parse` checks what comes back from Redis. */
export const SummaryAccumulator = z.object({
  plannedDurationMinutes: z.number().int(),
  lastSeq: z.number().int().nullable(),
  samples: z.number().int(),
  firstSampleAt: z.number().nullable(),
  lastSampleAt: z.number().nullable(),
  longestGapMs: z.number(),
  /** By channel number ("1"…"8"), planned channels only. */
  channels: z.record(z.string(), ChannelTally),
});
export type SummaryAccumulator = z.infer<typeof SummaryAccumulator>;

export function emptySummary(plan: SessionPlan): SummaryAccumulator {
  const channels: Record<string, ChannelTally> = {};
  for (const c of plan.channels) {
    channels[String(c.channel)] = {
      muscle: c.muscle,
      side: c.side,
      intensityCeilingMa: c.intensityCeilingMa,
      maxMa: null,
      sumMa: 0,
      readings: 0,
      msAboveCeiling: 0,
      lastAt: null,
    };
  }
  return {
    plannedDurationMinutes: plan.plannedDurationMinutes,
    lastSeq: null,
    samples: 0,
    firstSampleAt: null,
    lastSampleAt: null,
    longestGapMs: 0,
    channels,
  };
}

/** Adds a batch; like the safety rules it goes in seq order and skips seqs already counted. */
export function accumulateSummary(
  acc: SummaryAccumulator,
  samples: readonly TelemetrySample[],
  plan: SessionPlan,
): SummaryAccumulator {
  const next: SummaryAccumulator = { ...acc, channels: {} };
  for (const [k, tally] of Object.entries(acc.channels)) next.channels[k] = { ...tally };
  const ceilings = new Map(plan.channels.map((c) => [c.channel, c.intensityCeilingMa]));

  for (const sample of [...samples].sort((a, b) => a.seq - b.seq)) {
    if (next.lastSeq !== null && sample.seq <= next.lastSeq) continue;
    const at = Math.max(Date.parse(sample.at), next.lastSampleAt ?? -Infinity);
    if (next.lastSampleAt !== null)
      next.longestGapMs = Math.max(next.longestGapMs, at - next.lastSampleAt);
    next.firstSampleAt ??= at;
    next.lastSampleAt = at;
    next.lastSeq = sample.seq;
    next.samples += 1;

    for (const reading of sample.channels) {
      const tally = next.channels[String(reading.channel)];
      const ceiling = ceilings.get(reading.channel);
      if (!tally || ceiling === undefined) continue;
      const ma = reading.intensityMa;
      tally.maxMa = tally.maxMa === null ? ma : Math.max(tally.maxMa, ma);
      tally.sumMa += ma;
      tally.readings += 1;
      if (ma > ceiling && tally.lastAt !== null) {
        tally.msAboveCeiling += Math.min(at - tally.lastAt, SUMMARY_MAX_INTERVAL_MS);
      }
      tally.lastAt = at;
    }
  }
  return next;
}

const round = (value: number, decimals: number) =>
  Math.round(value * 10 ** decimals) / 10 ** decimals;

export function finishSummary(
  acc: SummaryAccumulator,
  end: { runningSeconds: number; alerts: SessionSummary['alerts'] },
): SessionSummary {
  const channels = Object.entries(acc.channels)
    .map(
      ([channel, t]): ChannelSummary => ({
        channel: Number(channel),
        muscle: t.muscle,
        side: t.side,
        intensityCeilingMa: t.intensityCeilingMa,
        maxIntensityMa: t.maxMa,
        avgIntensityMa: t.readings === 0 ? null : round(t.sumMa / t.readings, 2),
        secondsAboveCeiling: round(t.msAboveCeiling / 1000, 1),
        readings: t.readings,
      }),
    )
    .sort((a, b) => a.channel - b.channel);
  return {
    runningSeconds: round(end.runningSeconds, 1),
    plannedDurationMinutes: acc.plannedDurationMinutes,
    samples: acc.samples,
    firstSampleAt: acc.firstSampleAt === null ? null : isoAt(acc.firstSampleAt),
    lastSampleAt: acc.lastSampleAt === null ? null : isoAt(acc.lastSampleAt),
    longestGapSeconds: round(acc.longestGapMs / 1000, 1),
    channels,
    alerts: { ...end.alerts },
  };
}
