import { type SessionPlan } from '@tautline/domain';
import { memo } from 'react';
import {
  channelSiteWords,
  FIGURE_HEIGHT,
  FIGURE_WIDTH,
  placeSite,
  type SilhouetteView,
} from './board.silhouette.sites';
import './board.actions.css';

/** Gap between the front and the back figure, in figure units. */
const GAP = 6;
const VIEWS: readonly SilhouetteView[] = ['front', 'back'];
const offsetOf = (view: SilhouetteView) => (view === 'front' ? 0 : FIGURE_WIDTH + GAP);

// One outline serves both views (a figure is symmetric); the back view adds the spine.
const HEAD = { cx: 20, cy: 7, r: 5.5 };
const BODY =
  'M17 12.5 L23 12.5 L23.5 16 L31 18.5 Q34.5 19.5 34.5 23 L37.5 49 L34.5 50 L30.5 29 L29.5 47 ' +
  'L29.5 52 L27.5 97 L21.5 97 L20.6 57 L19.4 57 L18.5 97 L12.5 97 L10.5 52 L10.5 47 L9.5 29 ' +
  'L5.5 50 L2.5 49 L5.5 23 Q5.5 19.5 9 18.5 L16.5 16 Z';

/**
 * The plan's needle sites on a small front and back body outline, numbered by channel, so a
 * supervisor sees what is stimulated where. The label lists every channel with its referral zones.
 */
export const BodySilhouette = memo(
  function BodySilhouette({
    plan,
    height = 64,
  }: {
    plan: SessionPlan;
    /** CSS pixels; the width follows. */
    height?: number;
  }) {
    const label = `Needle sites, front and back. ${plan.channels.map(channelSiteWords).join('. ')}`;
    const width = ((2 * FIGURE_WIDTH + GAP) / FIGURE_HEIGHT) * height;
    return (
      <svg
        className="silhouette"
        role="img"
        aria-label={label}
        viewBox={`0 0 ${2 * FIGURE_WIDTH + GAP} ${FIGURE_HEIGHT}`}
        width={width}
        height={height}
        data-testid="body-silhouette"
      >
        <title>{label}</title>
        {VIEWS.map((view) => (
          <g key={view} transform={`translate(${offsetOf(view)} 0)`} data-view={view}>
            <circle className="silhouette-body" {...HEAD} />
            <path className="silhouette-body" d={BODY} />
            {view === 'back' && <path className="silhouette-spine" d="M20 14 L20 50" />}
          </g>
        ))}
        {plan.channels.map((c, i) => {
          const site = placeSite(c.muscle, c.side);
          const x = offsetOf(site.view) + site.x;
          return (
            <g key={`${c.channel}-${i}`} className="silhouette-mark" data-channel={c.channel}>
              <title>{channelSiteWords(c)}</title>
              <circle cx={x} cy={site.y} r={4.6} />
              <text x={x} y={site.y} dy="0.36em" textAnchor="middle">
                {c.channel}
              </text>
            </g>
          );
        })}
      </svg>
    );
  },
  // Live updates bring a new plan object several times a second; what is drawn rarely changes.
  (a, b) => a.height === b.height && samePlacement(a.plan, b.plan),
);

function samePlacement(a: SessionPlan, b: SessionPlan): boolean {
  return (
    a === b ||
    (a.channels.length === b.channels.length &&
      a.channels.every((c, i) => {
        const d = b.channels[i]!;
        return c.channel === d.channel && c.muscle === d.muscle && c.side === d.side;
      }))
  );
}
