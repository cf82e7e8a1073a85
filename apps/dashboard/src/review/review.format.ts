import {
  muscleByCode,
  zoneAbbreviation,
  type AdverseEventKind,
  type Alert,
  type AlertCounts,
  type AlertKind,
  type AlertSeverity,
  type BodySide,
  type ChannelPlan,
  type MuscleCode,
  type TelemetryPoint,
  type TreatmentSessionStatus,
  type Waveform,
} from '@tautline/domain';
import { DateTime } from 'luxon';

/** Words, numbers and times for session review. Every time is on the clinic's wall clock, zone named. */

function local(instant: string, timeZone: string): DateTime {
  const at = DateTime.fromISO(instant, { zone: timeZone }).setLocale('en-GB');
  if (!at.isValid) throw new RangeError(`cannot show ${instant} in ${timeZone}`);
  return at;
}

/** "Tue 12 Mar 2030, 09:00 EDT". */
export function clinicDateTime(instant: string, timeZone: string): string {
  const at = local(instant, timeZone);
  return `${at.toFormat('ccc d LLL yyyy, HH:mm')} ${zoneAbbreviation(at, 'en-GB')}`;
}

/** "09:00:05 EDT": for events within a session. */
export function clinicTimeOfDay(instant: string, timeZone: string): string {
  const at = local(instant, timeZone);
  return `${at.toFormat('HH:mm:ss')} ${zoneAbbreviation(at, 'en-GB')}`;
}

/** 0 → "0 s", 75 → "1 min 15 s", 3725 → "1 h 2 min 5 s". */
export function durationWords(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
}

/** Up to one decimal, for seconds above a ceiling and gaps: 0.25 → "0.3". */
export const oneDecimal = (n: number): string => String(Math.round(n * 10) / 10);

/** Up to two decimals, as the live board writes mA: 11.456 → "11.46". */
export const milliamps = (n: number | null): string =>
  n === null ? 'No readings' : `${Math.round(n * 100) / 100} mA`;

export const SESSION_STATUS_WORDS: Record<TreatmentSessionStatus, string> = {
  ready: 'Ready',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  aborted: 'Aborted',
};

export const ADVERSE_EVENT_WORDS: Record<AdverseEventKind, string> = {
  none: 'None',
  vasovagal: 'Vasovagal reaction',
  bruising: 'Bruising',
  bleeding: 'Bleeding',
  other: 'Other',
};

export const WAVEFORM_WORDS: Record<Waveform, string> = {
  biphasic_symmetric: 'Biphasic, symmetric',
  biphasic_asymmetric: 'Biphasic, asymmetric',
  monophasic: 'Monophasic',
  burst: 'Burst',
};

export const SIDE_WORDS: Record<BodySide, string> = {
  left: 'Left',
  right: 'Right',
  midline: 'Midline',
};

export const ALERT_KIND_WORDS: Record<AlertKind, string> = {
  intensity_over_ceiling: 'Intensity above the ceiling',
  intensity_over_device_limit: 'Intensity above the device limit',
  impedance_out_of_range: 'Impedance out of range',
  intensity_jump: 'Sudden intensity jump',
  device_offline: 'Device offline',
  session_overrun: 'Running past the planned time',
  monitoring_degraded: 'Monitoring degraded (server overloaded)',
};

export const SEVERITY_WORDS: Record<AlertSeverity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  technical: 'Technical',
};

export function muscleName(code: MuscleCode): string {
  return muscleByCode(code).name;
}

/** "Channel 1 · Upper trapezius, left". */
export function channelTitle(plan: Pick<ChannelPlan, 'channel' | 'muscle' | 'side'>): string {
  return `Channel ${plan.channel} · ${muscleName(plan.muscle)}, ${SIDE_WORDS[plan.side].toLowerCase()}`;
}

export interface ChannelSeries {
  /** Bucket starts, in seconds since the epoch (uPlot's x unit). */
  x: number[];
  min: number[];
  max: number[];
  avg: number[];
  /** Mean electrode impedance of the bucket, in Ω. */
  impedance: number[];
}

/** The downsampled points of one channel, in time order, as uPlot's aligned arrays. */
export function channelSeries(points: readonly TelemetryPoint[], channel: number): ChannelSeries {
  const mine = points
    .filter((p) => p.channel === channel)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    x: mine.map((p) => Date.parse(p.at) / 1000),
    min: mine.map((p) => p.intensity.min),
    max: mine.map((p) => p.intensity.max),
    avg: mine.map((p) => p.intensity.avg),
    impedance: mine.map((p) => p.impedanceAvg),
  };
}

/** Whole ohms with thousands separators: 15000 → "15,000 Ω". */
export const ohms = (n: number): string => `${Math.round(n).toLocaleString('en-GB')} Ω`;

/** "None", or "1 critical, 2 warnings, 1 technical" (only the priorities that occurred). */
export function alertCountWords(
  counts: Pick<AlertCounts, 'critical' | 'warning' | 'technical'>,
): string {
  const parts = [
    counts.critical ? `${counts.critical} critical` : null,
    counts.warning ? `${counts.warning} ${counts.warning === 1 ? 'warning' : 'warnings'}` : null,
    counts.technical ? `${counts.technical} technical` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(', ') : 'None';
}

/** An alert on a chart: where it was raised, until when its condition held (null: to the end). */
export interface AlertMarker {
  id: string;
  severity: Alert['severity'];
  /** Seconds since the epoch, like the chart's x. */
  at: number;
  until: number | null;
}

const IMPEDANCE_KINDS: readonly Alert['kind'][] = ['impedance_out_of_range'];

/**
 * The alerts one chart marks: its channel's alerts of its quantity (impedance alerts on the
 * impedance chart, the others on the intensity chart) and every session- or device-wide alert
 * (offline, overrun), which concern all channels. In the order raised.
 */
export function alertMarkers(
  alerts: readonly Alert[],
  channel: number,
  chart: 'intensity' | 'impedance',
): AlertMarker[] {
  const seconds = (instant: string | null) => (instant ? Date.parse(instant) / 1000 : null);
  return alerts
    .filter(
      (a) =>
        a.channel === null ||
        (a.channel === channel && IMPEDANCE_KINDS.includes(a.kind) === (chart === 'impedance')),
    )
    .map((a) => ({
      id: a.id,
      severity: a.severity,
      at: seconds(a.raisedAt)!,
      until: seconds(a.clearedAt ?? a.resolvedAt),
    }))
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}
