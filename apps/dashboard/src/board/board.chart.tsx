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

  useEffect(() => {
    const el = host.current;
    if (!el || !canDraw()) return;
    let chart: uPlot | null = null;
    let visible = true;
    let dirty = false;
    let cancelled = false;
    const draw = () => {
      const series = store.seriesOf(sessionId);
      if (!chart || !series) return;
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
            if (visible && dirty) draw();
          })
        : null;
    observer?.observe(el);

    void loadUPlot().then((UPlot) => {
      if (cancelled) return;
      const series = store.seriesOf(sessionId);
      chart = new UPlot(
        {
          width: el.clientWidth || 240,
          height: 64,
          legend: { show: false },
          cursor: { show: false },
          select: { show: false, left: 0, top: 0, width: 0, height: 0 },
          scales: {
            x: { time: true, range: (_u, _min, max) => [max - SERIES_SECONDS, max] },
            y: { range: [0, maxCeiling * 1.25] },
          },
          axes: [
            { show: false },
            { size: 28, font: '10px system-ui', ticks: { show: false }, gap: 2 },
          ],
          series: [
            {},
            ...channelKey.split(',').map((_, i) => ({
              stroke: COLOURS[i % COLOURS.length],
              width: 1.5,
              points: { show: false },
            })),
          ],
        },
        series ? series.data() : [[], ...channelKey.split(',').map(() => [])],
        el,
      );
    });

    return () => {
      cancelled = true;
      unsubscribe();
      observer?.disconnect();
      chart?.destroy();
    };
  }, [store, sessionId, channelKey, maxCeiling]);

  return <div ref={host} className="board-chart" role="img" aria-label={label} />;
}
