import { ALARM_PRESENTATION, type AlertSeverity } from '@tautline/domain';
import { DateTime } from 'luxon';
import type uPlot from 'uplot';
import { useEffect, useRef, useState } from 'react';
import { type AlertMarker } from './review.format';
import { MarkerShape } from './review.marker';
import 'uplot/dist/uPlot.min.css';

/** A horizontal limit drawn dashed across the chart: the ceiling, or the impedance window's edges. */
export interface ChartLimit {
  label: string;
  value: number;
}

interface ReviewChartProps {
  /** Names the figure: "Intensity" (the channel is named by the group around it). */
  title: string;
  /** `intensity` or `impedance`: styles and test hooks. */
  kind: 'intensity' | 'impedance';
  unit: string;
  /** Bucket starts, in seconds since the epoch. */
  x: number[];
  /** The bucket mean as a line. */
  mean: number[];
  /** The bucket min–max as a band around the mean (intensity only). */
  band?: { min: number[]; max: number[] };
  limits: ChartLimit[];
  /** Alerts drawn as vertical lines at their raise (shaded until their condition cleared). */
  markers: AlertMarker[];
  /** The clinic's zone: the time axis reads its wall clock, not the browser's. */
  timeZone: string;
  /** The text alternative of the canvas: what a sighted reader takes from the chart. */
  description: string;
}

const clock = (seconds: number, timeZone: string) =>
  DateTime.fromSeconds(seconds, { zone: timeZone }).toFormat('HH:mm:ss');

type ChartState = 'drawing' | 'drawn' | 'unavailable';

const HEIGHT = 220;
const COLOURS = {
  intensity: { mean: '#0a58a8', band: 'rgba(10, 88, 168, 0.18)', edge: 'rgba(10, 88, 168, 0.45)' },
  impedance: { mean: '#5b3a8c', band: 'rgba(91, 58, 140, 0.18)', edge: 'rgba(91, 58, 140, 0.45)' },
  limit: '#b3261e',
};

/** Each marker: a shaded span while its condition held, a line at its raise, its shape on top. */
function drawMarkers(u: uPlot, markers: readonly AlertMarker[]) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const px = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (const m of markers) {
    const colour = ALARM_PRESENTATION[m.severity].colour;
    const x = Math.round(u.valToPos(m.at, 'x', true));
    if (m.until !== null) {
      const end = Math.round(u.valToPos(m.until, 'x', true));
      ctx.globalAlpha = 0.12;
      ctx.fillStyle = colour;
      ctx.fillRect(x, top, Math.max(end - x, px), height);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2 * px;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillStyle = colour;
    ctx.beginPath();
    const r = 6 * px;
    const cy = top + r + px;
    shapePath(ctx, ALARM_PRESENTATION[m.severity].shape, x, cy, r);
    ctx.fill();
  }
  ctx.restore();
}

function shapePath(
  ctx: CanvasRenderingContext2D,
  shape: (typeof ALARM_PRESENTATION)[AlertSeverity]['shape'],
  x: number,
  y: number,
  r: number,
) {
  if (shape === 'triangle') {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y + r * 0.8);
    ctx.lineTo(x - r, y + r * 0.8);
  } else if (shape === 'diamond') {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
  } else {
    ctx.arc(x, y, r * 0.85, 0, Math.PI * 2);
  }
  ctx.closePath();
}

/**
 * One channel's intensity or impedance over the session: the bucket mean as a line (intensity
 * with its min–max band), limits dashed in red, alerts as coloured vertical markers with a legend.
 * uPlot draws on a canvas, so it is loaded only where one can be drawn (it reads `matchMedia`
 * when loaded); elsewhere the figure says so and the summary table holds the figures.
 */
export function ReviewChart({
  title,
  kind,
  unit,
  x,
  mean,
  band,
  limits,
  markers,
  timeZone,
  description,
}: ReviewChartProps) {
  const target = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ChartState>('drawing');

  useEffect(() => {
    const el = target.current;
    if (!el) return;
    if (typeof window.matchMedia !== 'function' || typeof ResizeObserver !== 'function') {
      setState('unavailable');
      return;
    }
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    setState('drawing');
    import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const colours = COLOURS[kind];
        const value = (_u: uPlot, v: number | null) =>
          v == null ? '--' : `${Math.round(v * 100) / 100} ${unit}`;
        const bandSeries: uPlot.Series[] = band
          ? [
              { label: 'Max', scale: unit, value, stroke: colours.edge, width: 1 },
              { label: 'Min', scale: unit, value, stroke: colours.edge, width: 1 },
            ]
          : [];
        const data: uPlot.AlignedData = [
          x,
          ...(band ? [band.max, band.min] : []),
          mean,
          ...limits.map((l) => x.map(() => l.value)),
        ];
        const highest = Math.max(...limits.map((l) => l.value), ...(band?.max ?? mean));
        const opts: uPlot.Options = {
          width: Math.max(el.clientWidth, 280),
          height: HEIGHT,
          tzDate: (seconds) => UPlot.tzDate(new Date(seconds * 1000), timeZone),
          scales: {
            // Wide enough for every marker: an offline alert comes after the last sample.
            x: {
              time: true,
              range: (_u, min, max) => [
                Math.min(min, ...markers.map((m) => m.at)),
                Math.max(max, ...markers.map((m) => m.until ?? m.at)),
              ],
            },
            [unit]: { range: [0, Math.ceil(highest * 1.15)] },
          },
          axes: [
            // The clinic's wall clock, 24-hour, with seconds: sessions last minutes.
            { values: (_u, splits) => splits.map((s) => clock(s, timeZone)), size: 40, space: 80 },
            { scale: unit, label: unit, size: kind === 'impedance' ? 64 : 50 },
          ],
          legend: { show: true },
          series: [
            { label: 'Time', value: (_u, v) => (v == null ? '--' : clock(v, timeZone)) },
            ...bandSeries,
            { label: 'Mean', scale: unit, value, stroke: colours.mean, width: 2 },
            ...limits.map(
              (l): uPlot.Series => ({
                label: l.label,
                scale: unit,
                value,
                stroke: COLOURS.limit,
                width: 2,
                dash: [6, 4],
                points: { show: false },
              }),
            ),
          ],
          bands: band ? [{ series: [1, 2], fill: colours.band }] : [],
          hooks: { draw: [(u) => drawMarkers(u, markers)] },
        };
        plot = new UPlot(opts, data, el);
        const chart = plot;
        observer = new ResizeObserver(() =>
          chart.setSize({ width: Math.max(el.clientWidth, 280), height: HEIGHT }),
        );
        observer.observe(el);
        setState('drawn');
      })
      .catch(() => {
        if (!cancelled) setState('unavailable');
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [kind, unit, x, mean, band, limits, markers, timeZone]);

  const severities = [...new Set(markers.map((m) => m.severity))];
  return (
    <figure className={`review-chart review-chart-${kind}`} data-state={state}>
      <figcaption>{title}</figcaption>
      <div ref={target} className="review-chart-plot" role="img" aria-label={description} />
      {severities.length > 0 && (
        <ul className="review-marker-legend" aria-label={`Alert markers on the ${title} chart`}>
          {severities.map((severity) => {
            const n = markers.filter((m) => m.severity === severity).length;
            return (
              <li key={severity}>
                <MarkerShape severity={severity} />
                {n} {ALARM_PRESENTATION[severity].label.toLowerCase()}{' '}
                {n === 1 ? 'alert' : 'alerts'}
              </li>
            );
          })}
        </ul>
      )}
      {state === 'unavailable' && (
        <p className="muted">
          The chart cannot be drawn in this browser. The figures are in the summary above.
        </p>
      )}
    </figure>
  );
}
