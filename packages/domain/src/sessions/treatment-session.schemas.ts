import { z } from 'zod';
import { EntityId, Instant } from '../scheduling/calendar.schemas';
import { BodySide, MuscleCode } from './muscle.catalogue';
import { noteText } from './printable';
import { SessionSummary } from './session-summary';
import { TreatmentSessionStatus } from './treatment-session.state-machine';

/** REST contracts of live e-stim treatment sessions (issue 5). */

export const WAVEFORMS = [
  'biphasic_symmetric',
  'biphasic_asymmetric',
  'monophasic',
  'burst',
] as const;
export const Waveform = z.enum(WAVEFORMS);
export type Waveform = z.infer<typeof Waveform>;

/** A stimulator's output channels are numbered 1–8. */
export const MAX_CHANNELS = 8;
export const ChannelNumber = z
  .number()
  .int({ message: 'must be a whole channel number' })
  .min(1, { message: `must be a channel from 1 to ${MAX_CHANNELS}` })
  .max(MAX_CHANNELS, { message: `must be a channel from 1 to ${MAX_CHANNELS}` });

const between = (min: number, max: number, unit: string) =>
  z
    .number()
    .min(min, { message: `must be at least ${min} ${unit}` })
    .max(max, { message: `must be at most ${max} ${unit}` });

/**
 * One channel's settings, wired to one target muscle. Strict: a setting we do not understand
 * must be refused, not silently dropped from what the safety rules check.
 */
export const ChannelPlan = z.strictObject({
  channel: ChannelNumber,
  muscle: MuscleCode,
  side: BodySide,
  waveform: Waveform,
  frequencyHz: between(1, 250, 'Hz'),
  pulseWidthUs: between(50, 500, 'µs'),
  /** The most current the clinician allows on this channel; above it a critical alert is raised. */
  intensityCeilingMa: between(0.5, 50, 'mA'),
});
export type ChannelPlan = z.infer<typeof ChannelPlan>;

export const SessionPlan = z
  .strictObject({
    channels: z
      .array(ChannelPlan)
      .min(1, { message: 'plan at least one channel' })
      .max(MAX_CHANNELS, { message: `a stimulator has at most ${MAX_CHANNELS} channels` }),
    plannedDurationMinutes: z
      .number()
      .int({ message: 'must be whole minutes' })
      .min(1, { message: 'must be at least 1 minute' })
      .max(90, { message: 'must be at most 90 minutes' }),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<number>();
    plan.channels.forEach((c, i) => {
      if (seen.has(c.channel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'channel'],
          message: `channel ${c.channel} is planned twice`,
        });
      }
      seen.add(c.channel);
    });
  });
export type SessionPlan = z.infer<typeof SessionPlan>;

/** The plan of a channel number, if planned. */
export function channelPlan(plan: SessionPlan, channel: number): ChannelPlan | undefined {
  return plan.channels.find((c) => c.channel === channel);
}

export const StartSessionRequest = z.strictObject({
  appointmentId: EntityId,
  plan: SessionPlan,
});
export type StartSessionRequest = z.infer<typeof StartSessionRequest>;

export const ADVERSE_EVENT_KINDS = ['none', 'vasovagal', 'bruising', 'bleeding', 'other'] as const;
export const AdverseEventKind = z.enum(ADVERSE_EVENT_KINDS);
export type AdverseEventKind = z.infer<typeof AdverseEventKind>;

/** What the practitioner records at the end; "other" says nothing without a description. */
export const AdverseEvent = z
  .strictObject({ kind: AdverseEventKind, notes: noteText(2000).optional() })
  .superRefine((event, ctx) => {
    if (event.kind === 'other' && !event.notes) {
      ctx.addIssue({
        code: 'custom',
        path: ['notes'],
        message: 'describe the adverse event when kind is other',
      });
    }
  });
export type AdverseEvent = z.infer<typeof AdverseEvent>;

export const StopSessionRequest = z.strictObject({ adverseEvent: AdverseEvent });
export type StopSessionRequest = z.infer<typeof StopSessionRequest>;

export const TreatmentSession = z.object({
  id: EntityId,
  appointmentId: EntityId,
  clinicId: EntityId,
  roomId: EntityId,
  deviceId: EntityId,
  practitionerId: EntityId,
  status: TreatmentSessionStatus,
  plan: SessionPlan,
  /** First start; null while ready. */
  startedAt: Instant.nullable(),
  /** Completed or aborted; null before. */
  endedAt: Instant.nullable(),
  /** Running time up to the last pause or stop (paused time never counts). */
  runningSeconds: z.number().min(0),
  /** When the current running stretch began; null unless running. Live: `runningSecondsAt`. */
  runningSince: Instant.nullable(),
  summary: SessionSummary.nullable(),
  adverseEvent: AdverseEvent.nullable(),
  createdAt: Instant,
});
export type TreatmentSession = z.infer<typeof TreatmentSession>;
