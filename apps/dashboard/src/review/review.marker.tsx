import { ALARM_PRESENTATION, type AlertSeverity } from '@tautline/domain';

const PATHS = {
  triangle: 'M6 1 L11 10.5 L1 10.5 Z',
  diamond: 'M6 0.5 L11.5 6 L6 11.5 L0.5 6 Z',
  circle: 'M6 1 A5 5 0 1 1 5.99 1 Z',
} as const;

/** The priority's shape in its colour (triangle, diamond, circle), as drawn on the charts. Decorative. */
export function MarkerShape({ severity }: { severity: AlertSeverity }) {
  const { shape, colour } = ALARM_PRESENTATION[severity];
  return (
    <svg
      className="review-marker-shape"
      width="12"
      height="12"
      viewBox="0 0 12 12"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[shape]} fill={colour} />
    </svg>
  );
}
