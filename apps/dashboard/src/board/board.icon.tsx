import { ALARM_PRESENTATION, type AlertSeverity } from '@tautline/domain';

/** The priority's shape (triangle, diamond, circle): told apart without relying on colour. */
export function AlarmIcon({ severity, size = 14 }: { severity: AlertSeverity; size?: number }) {
  const shape = ALARM_PRESENTATION[severity].shape;
  return (
    <svg
      className={`board-icon board-icon-${severity}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      data-shape={shape}
    >
      {shape === 'triangle' && <path d="M8 1 15.5 14.5H.5Z" />}
      {shape === 'diamond' && <path d="M8 .5 15.5 8 8 15.5.5 8Z" />}
      {shape === 'circle' && <circle cx="8" cy="8" r="7" />}
      <text x="8" y={shape === 'triangle' ? 13 : 12} textAnchor="middle">
        {shape === 'circle' ? 'i' : '!'}
      </text>
    </svg>
  );
}
