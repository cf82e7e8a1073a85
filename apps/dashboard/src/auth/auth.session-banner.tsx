import { useEffect, useState } from 'react';
import { sessionEndsSoon, SESSION_END_WARNING_MS } from './auth.renewal';
import './auth.css';

interface SessionEndBannerProps {
  /** Epoch milliseconds of the sign-in session's absolute end. */
  sessionExpiresAt: number;
  onSignInAgain(): void;
}

const timeOf = (at: number) =>
  new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

/** From ten minutes before the absolute end: a warning that does not get in the way. */
export function SessionEndBanner({ sessionExpiresAt, onSignInAgain }: SessionEndBannerProps) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // Wake at the warning's start, then every 30 s to keep "ends at" honest.
    const untilWarning = sessionExpiresAt - SESSION_END_WARNING_MS - Date.now();
    const timer =
      untilWarning > 0
        ? setTimeout(() => setNow(Date.now()), Math.min(untilWarning, 2_147_483_647))
        : setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      clearTimeout(timer);
      clearInterval(timer);
    };
  }, [sessionExpiresAt, now]);

  if (!sessionEndsSoon(sessionExpiresAt, now)) return null;
  return (
    <div className="session-end-banner" role="status">
      <span>
        Your sign-in ends at{' '}
        <time dateTime={new Date(sessionExpiresAt).toISOString()}>{timeOf(sessionExpiresAt)}</time>{' '}
        — sign in again to continue.
      </span>
      <button type="button" className="button-secondary" onClick={onSignInAgain}>
        Sign in again
      </button>
    </div>
  );
}
