import {
  ALARM_PRESENTATION,
  BUCKET_SIZES_MS,
  type Alert,
  type ChannelPlan,
  type SessionReviewRow,
  type TelemetryReview,
} from '@tautline/domain';
import { useId, useMemo } from 'react';
import { type ChartLimit, ReviewChart } from './review.chart';
import {
  alertMarkers,
  type AlertMarker,
  channelSeries,
  channelTitle,
  clinicTimeOfDay,
  milliamps,
  ohms,
} from './review.format';

const RESOLUTIONS = BUCKET_SIZES_MS.filter((ms) => ms >= 1000 && ms <= 300_000);
const bucketWords = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);

export function ResolutionPicker({
  value,
  onChange,
  review,
}: {
  value: number | null;
  onChange(value: number | null): void;
  review?: TelemetryReview;
}) {
  const id = useId();
  return (
    <p className="review-resolution">
      <label htmlFor={id}>Bucket</label>{' '}
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">
          Automatic{value === null && review ? ` (${bucketWords(review.bucketMs)})` : ''}
        </option>
        {RESOLUTIONS.map((ms) => (
          <option key={ms} value={ms}>
            {bucketWords(ms)}
          </option>
        ))}
      </select>
      {review && (
        <span className="muted" data-testid="telemetry-extent">
          {' '}
          {review.samples} samples; each point is the min, mean and max of{' '}
          {bucketWords(review.bucketMs)}.
        </span>
      )}
    </p>
  );
}

/** " 2 alerts marked: critical at 09:05:00 EDT, warning at 09:06:10 EDT." or "". */
function markerWords(markers: readonly AlertMarker[], timeZone: string): string {
  if (markers.length === 0) return '';
  const each = markers.map(
    (m) =>
      `${ALARM_PRESENTATION[m.severity].label.toLowerCase()} at ${clinicTimeOfDay(new Date(m.at * 1000).toISOString(), timeZone)}`,
  );
  return ` ${markers.length} ${markers.length === 1 ? 'alert' : 'alerts'} marked: ${each.join(', ')}.`;
}

interface ChannelChartsProps {
  plan: ChannelPlan;
  review: TelemetryReview;
  alerts: readonly Alert[];
  impedanceLimitsOhm: SessionReviewRow['impedanceLimitsOhm'];
  timeZone: string;
}

/** One channel: intensity and impedance side by side (stacked when narrow), alerts marked on both. */
function ChannelCharts({ plan, review, alerts, impedanceLimitsOhm, timeZone }: ChannelChartsProps) {
  const s = useMemo(() => channelSeries(review.points, plan.channel), [review.points, plan]);
  const markers = useMemo(
    () => ({
      intensity: alertMarkers(alerts, plan.channel, 'intensity'),
      impedance: alertMarkers(alerts, plan.channel, 'impedance'),
    }),
    [alerts, plan.channel],
  );
  const band = useMemo(() => ({ min: s.min, max: s.max }), [s]);
  const ceiling = useMemo<ChartLimit[]>(
    () => [{ label: 'Ceiling', value: plan.intensityCeilingMa }],
    [plan.intensityCeilingMa],
  );
  const impedanceWindow = useMemo<ChartLimit[]>(
    () => [
      { label: 'Min', value: impedanceLimitsOhm.min },
      { label: 'Max', value: impedanceLimitsOhm.max },
    ],
    [impedanceLimitsOhm],
  );
  const title = channelTitle(plan);
  const headingId = useId();

  const peak = s.max.length ? Math.max(...s.max) : null;
  const intensityWords =
    peak === null
      ? `${title}: no readings.`
      : `${title}: intensity from ${milliamps(Math.min(...s.min))} to ${milliamps(peak)} over ${s.x.length} points; ceiling ${milliamps(plan.intensityCeilingMa)}${peak > plan.intensityCeilingMa ? ', exceeded' : ', never exceeded'}.`;
  const outside = s.impedance.filter(
    (v) => v < impedanceLimitsOhm.min || v > impedanceLimitsOhm.max,
  ).length;
  const impedanceWords =
    s.impedance.length === 0
      ? `${title}: no readings.`
      : `${title}: mean impedance from ${ohms(Math.min(...s.impedance))} to ${ohms(Math.max(...s.impedance))}; window ${ohms(impedanceLimitsOhm.min)} to ${ohms(impedanceLimitsOhm.max)}${outside ? `, outside it in ${outside} of ${s.impedance.length} points` : ', always inside'}.`;

  return (
    <section
      className="review-channel"
      aria-labelledby={headingId}
      data-channel={plan.channel}
      data-testid="review-channel"
    >
      <h5 id={headingId}>{title}</h5>
      <div className="review-chart-pair">
        <ReviewChart
          title="Intensity"
          kind="intensity"
          unit="mA"
          x={s.x}
          mean={s.avg}
          band={band}
          limits={ceiling}
          markers={markers.intensity}
          timeZone={timeZone}
          description={intensityWords + markerWords(markers.intensity, timeZone)}
        />
        <ReviewChart
          title="Impedance"
          kind="impedance"
          unit="Ω"
          x={s.x}
          mean={s.impedance}
          limits={impedanceWindow}
          markers={markers.impedance}
          timeZone={timeZone}
          description={impedanceWords + markerWords(markers.impedance, timeZone)}
        />
      </div>
    </section>
  );
}

export function Charts({
  session,
  review,
  alerts,
  timeZone,
}: {
  session: SessionReviewRow;
  review: TelemetryReview;
  alerts: readonly Alert[];
  timeZone: string;
}) {
  if (review.points.length === 0) return <p>No telemetry was stored for this session.</p>;
  return (
    <div className="review-charts">
      {session.plan.channels.map((plan) => (
        <ChannelCharts
          key={plan.channel}
          plan={plan}
          review={review}
          alerts={alerts}
          impedanceLimitsOhm={session.impedanceLimitsOhm}
          timeZone={timeZone}
        />
      ))}
    </div>
  );
}
