import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import { SERIES_SECONDS, type BoardStore } from './board.store';

const COLOURS = [
  '#0a58a8',
  '#b35c00',
  '#13703a',
  '#7b2cbf',
  '#b3261e',
  '#00707a',
  '#5c6b00',
  '#4f5b6b',
];

export const channelColour = (i: number): string => COLOURS[i % COLOURS.length]!;

/** uPlot draws on canvas; jsdom has neither canvas nor matchMedia, so component tests get the text only. */
const canDraw = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function';

let uPlotModule: Promise<typeof uPlot> | null = null;
const loadUPlot = () => (uPlotModule ??= import('uplot').then((m) => m.default));

interface ChartProps {
  store: BoardStore;
  sessionId: string;
  /** Per channel: its number and ceiling, in plan order. */
  channels: { channel: number; ceiling: number }[];
  label: string;
}

/**
 * The last minute of intensity per channel. The chart is created once per session; new data goes in
 * with `setData` from the store's listener, outside React, and only while the tile is on screen.
 */
export function SessionChart({ store, sessionId, channels, label }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const maxCeiling = Math.max(...channels.map((c) => c.ceiling));
  const channelKey = channels.map((c) => c.channel).join(',');
  const ceilingKey = channels.map((c) => c.ceiling).join(',');

  useEffect(() => {
    const el = host.current;
    if (!el || !canDraw()) return;
    let chart: uPlot | null = null;
    let UPlot: typeof uPlot | null = null;
    // Created when first on screen (an off-screen tile is not rendered, so it has no width yet).
    let visible = typeof IntersectionObserver !== 'function';
    let dirty = false;
    let cancelled = false;
    const draw = () => {
      const series = store.seriesOf(sessionId);
      if (!chart) {
        create();
        return;
      }
      if (!series) return;
      if (!visible) {
        dirty = true;
        return;
      }
      dirty = false;
      chart.setData(series.data());
    };
    const unsubscribe = store.subscribeSeries(sessionId, draw);
    const observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => {
            visible = entries.some((e) => e.isIntersecting);
            if (visible && (dirty || !chart)) draw();
          })
        : null;
    observer?.observe(el);

    function create() {
      if (chart || !UPlot || !visible || cancelled || !el) return;
      const series = store.seriesOf(sessionId);
      chart = new UPlot(
        {
          width: el.clientWidth || 240,
          height: 48,
          legend: { show: false },
          cursor: { show: false },
          select: { show: false, left: 0, top: 0, width: 0, height: 0 },
          scales: {
            x: { time: true, range: (_u, _min, max) => [max - SERIES_SECONDS, max] },
            y: { range: [0, maxCeiling * 1.25] },
          },
          axes: [
            { show: false },
            {
              size: 30,
              font: '10px system-ui',
              stroke: '#4f5b6b',
              ticks: { show: false },
              gap: 2,
              // 0 and the highest ceiling only: the dashed lines mark each channel's own.
              splits: () => [0, maxCeiling],
              values: (_u, splits) => splits.map((v) => `${v}`),
              grid: { stroke: '#e6ebf2', width: 1 },
            },
          ],
          hooks: {
            // Each channel's ceiling as a dashed line in its colour: over it is what the alarm is about.
            draw: [
              (u) => {
                const ctx = u.ctx;
                ctx.save();
                ctx.setLineDash([4, 3]);
                ctx.lineWidth = 1;
                ceilingKey.split(',').forEach((ceiling, i) => {
                  const y = Math.round(u.valToPos(Number(ceiling), 'y', true)) + 0.5;
                  ctx.strokeStyle = channelColour(i);
                  ctx.beginPath();
                  ctx.moveTo(u.bbox.left, y);
                  ctx.lineTo(u.bbox.left + u.bbox.width, y);
                  ctx.stroke();
                });
                ctx.restore();
              },
            ],
          },
          series: [
            {},
            ...channelKey.split(',').map((_, i) => ({
              stroke: channelColour(i),
              width: 1.5,
              points: { show: false },
            })),
          ],
        },
        series ? series.data() : [[], ...channelKey.split(',').map(() => [])],
        el,
      );
    }
    void loadUPlot().then((module) => {
      UPlot = module;
      create();
    });

    return () => {
      cancelled = true;
      unsubscribe();
      observer?.disconnect();
      chart?.destroy();
    };
  }, [store, sessionId, channelKey, ceilingKey, maxCeiling]);

  return (
    <figure className="board-figure">
      <div ref={host} className="board-chart" role="img" aria-label={label} />
      <figcaption className="board-legend">
        {channels.map((c, i) => (
          <span key={c.channel}>
            <span className="board-legend-line" style={{ background: channelColour(i) }} />
            <span className="visually-hidden">Channel </span>
            {c.channel}
          </span>
        ))}
        <span>
          <span className="board-legend-dash" /> ceiling · mA · 1 min
        </span>
      </figcaption>
    </figure>
  );
}
