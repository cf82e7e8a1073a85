import { DateTime } from 'luxon';
import type uPlot from 'uplot';
import { useEffect, useRef, useState } from 'react';
import { type ChannelSeries } from './review.format';
import 'uplot/dist/uPlot.min.css';

interface IntensityChartProps {
  /** Names the figure: "Channel 1 · Upper trapezius, left". */
  title: string;
  series: ChannelSeries;
  ceilingMa: number;
  /** The clinic's zone: the time axis reads its wall clock, not the browser's. */
  timeZone: string;
  /** The text alternative of the canvas: what a sighted reader takes from the chart. */
  description: string;
}

const clock = (seconds: number, timeZone: string) =>
  DateTime.fromSeconds(seconds, { zone: timeZone }).toFormat('HH:mm:ss');
const mA = (_u: uPlot, v: number | null) => (v == null ? '--' : `${Math.round(v * 100) / 100} mA`);

type ChartState = 'drawing' | 'drawn' | 'unavailable';

const HEIGHT = 220;
const COLOURS = {
  mean: '#0a58a8',
  band: 'rgba(10, 88, 168, 0.18)',
  edge: 'rgba(10, 88, 168, 0.45)',
  ceiling: '#b3261e',
};

/**
 * One channel's intensity over the session: the mean as a line, the min–max of each bucket as a
 * band around it, the channel's ceiling as a red dashed line. uPlot draws on a canvas, so it is
 * loaded only where one can be drawn (it reads `matchMedia` when loaded); elsewhere the figure
 * says so and the summary table holds the figures.
 */
export function IntensityChart({
  title,
  series,
  ceilingMa,
  timeZone,
  description,
}: IntensityChartProps) {
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
        const data: uPlot.AlignedData = [
          series.x,
          series.max,
          series.min,
          series.avg,
          series.x.map(() => ceilingMa),
        ];
        const highest = Math.max(ceilingMa, ...series.max);
        const opts: uPlot.Options = {
          width: Math.max(el.clientWidth, 280),
          height: HEIGHT,
          tzDate: (seconds) => UPlot.tzDate(new Date(seconds * 1000), timeZone),
          scales: { x: { time: true }, mA: { range: [0, Math.ceil(highest * 1.15)] } },
          axes: [
            // The clinic's wall clock, 24-hour, with seconds: sessions last minutes.
            { values: (_u, splits) => splits.map((s) => clock(s, timeZone)), size: 40, space: 80 },
            { scale: 'mA', label: 'mA', size: 50 },
          ],
          legend: { show: true },
          series: [
            { label: 'Time', value: (_u, v) => (v == null ? '--' : clock(v, timeZone)) },
            { label: 'Max', scale: 'mA', value: mA, stroke: COLOURS.edge, width: 1 },
            { label: 'Min', scale: 'mA', value: mA, stroke: COLOURS.edge, width: 1 },
            { label: 'Mean', scale: 'mA', value: mA, stroke: COLOURS.mean, width: 2 },
            {
              label: 'Ceiling',
              scale: 'mA',
              value: mA,
              stroke: COLOURS.ceiling,
              width: 2,
              dash: [6, 4],
              points: { show: false },
            },
          ],
          bands: [{ series: [1, 2], fill: COLOURS.band }],
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
  }, [series, ceilingMa, timeZone]);

  return (
    <figure className="review-chart" data-state={state}>
      <figcaption>{title}</figcaption>
      <div ref={target} className="review-chart-plot" role="img" aria-label={description} />
      {state === 'unavailable' && (
        <p className="muted">
          The chart cannot be drawn in this browser. The figures are in the summary above.
        </p>
      )}
    </figure>
  );
}
