import { type LiveSession, type Room } from '@tautline/domain';
import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { SessionChart } from './board.chart';
import { useBoardNow } from './board.clock';
import {
  channelMuscle,
  clockWords,
  contactOk,
  formatMa,
  freshnessSeconds,
  sessionTimes,
  STALE_AFTER_SECONDS,
  STATUS_WORDS,
} from './board.format';
import { type BoardStore } from './board.store';

interface TileProps {
  store: BoardStore;
  room: Pick<Room, 'id' | 'name'>;
  sessionId: string | undefined;
}

/** One room. Memoised and keyed by room; it listens to its own session only. */
export const RoomTile = memo(function RoomTile({ store, room, sessionId }: TileProps) {
  const headingId = `board-room-${room.id}`;
  const [element, setElement] = useState<HTMLElement | null>(null);
  const visible = useOnScreen(element);
  return (
    <article
      ref={setElement}
      className={`board-tile${sessionId ? '' : ' board-tile-idle'}`}
      aria-labelledby={headingId}
      data-testid="board-tile"
      data-room={room.name}
    >
      {sessionId ? (
        <SessionTile
          store={store}
          sessionId={sessionId}
          roomName={room.name}
          headingId={headingId}
          visible={visible}
        />
      ) : (
        <>
          <header className="board-tile-head">
            <h3 id={headingId}>{room.name}</h3>
            <span className="board-status board-status-idle" data-testid="board-status">
              Idle
            </span>
          </header>
          <p className="muted">No session</p>
        </>
      )}
    </article>
  );
});

/**
 * Whether the element is on screen (or near it). Off-screen tiles of a 200-room board do not re-render
 * on every update or tick; they catch up the moment they scroll into view. Without
 * IntersectionObserver (jsdom) every tile counts as visible.
 */
function useOnScreen(element: HTMLElement | null): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    if (!element || typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver(
      (entries) => setVisible(entries.some((e) => e.isIntersecting)),
      { rootMargin: '200px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return visible;
}

function SessionTile({
  store,
  sessionId,
  roomName,
  headingId,
  visible,
}: {
  store: BoardStore;
  sessionId: string;
  roomName: string;
  headingId: string;
  visible: boolean;
}) {
  // While off screen the tile keeps what it showed: the snapshot is frozen until it is visible again.
  const frozen = useRef<LiveSession | undefined>(undefined);
  const subscribe = useCallback(
    (l: () => void) => (visible ? store.subscribeSession(sessionId, l) : () => undefined),
    [store, sessionId, visible],
  );
  const live = useSyncExternalStore(subscribe, () =>
    visible ? store.session(sessionId) : (frozen.current ?? store.session(sessionId)),
  );
  useEffect(() => {
    frozen.current = live;
  });
  const now = useBoardNow(visible);
  const session = live;
  if (!session) return null;
  return (
    <SessionBody
      store={store}
      session={session}
      roomName={roomName}
      headingId={headingId}
      now={now}
    />
  );
}

const SessionBody = memo(function SessionBody({
  store,
  session,
  roomName,
  headingId,
  now,
}: {
  store: BoardStore;
  session: LiveSession;
  roomName: string;
  headingId: string;
  now: number;
}) {
  const { elapsedSeconds, remainingSeconds } = sessionTimes(session, now);
  const fresh = freshnessSeconds(session, now);
  const stale = session.status === 'running' && (fresh === null || fresh > STALE_AFTER_SECONDS);
  const critical = session.openAlerts.some(
    (a) => a.severity === 'critical' && a.status !== 'resolved',
  );
  const latest = session.latest;
  const chartChannels = session.plan.channels.map((c) => ({
    channel: c.channel,
    ceiling: c.intensityCeilingMa,
  }));

  return (
    <div
      className={`board-session${stale ? ' board-stale' : ''}${critical ? ' board-critical' : ''}`}
      data-session={session.sessionId}
    >
      <header className="board-tile-head">
        <h3 id={headingId}>{roomName}</h3>
        <span className={`board-status board-status-${session.status}`} data-testid="board-status">
          {STATUS_WORDS[session.status] ?? session.status}
        </span>
      </header>
      <p className="board-who">
        <span
          className="board-initials"
          data-testid="board-initials"
          aria-label={`Patient ${session.patientInitials}`}
        >
          {session.patientInitials}
        </span>
        <span>{session.practitionerName}</span>
      </p>
      <dl className="board-times">
        <div>
          <dt>Elapsed</dt>
          <dd data-testid="board-elapsed">{clockWords(elapsedSeconds)}</dd>
        </div>
        <div>
          <dt>{remainingSeconds >= 0 ? 'Remaining' : 'Over by'}</dt>
          <dd
            data-testid="board-remaining"
            className={remainingSeconds < 0 ? 'board-over' : undefined}
          >
            {clockWords(Math.abs(remainingSeconds))}
          </dd>
        </div>
      </dl>
      <ul className="board-channels" aria-label={`${roomName} channels`}>
        {session.plan.channels.map((plan) => {
          const reading = latest?.channels.find((c) => c.channel === plan.channel);
          const ma = reading?.intensityMa ?? 0;
          const over = ma > plan.intensityCeilingMa;
          const pct = Math.min(100, (ma / plan.intensityCeilingMa) * 100);
          const contact = reading
            ? contactOk(reading.impedanceOhm, session.thresholds)
              ? 'ok'
              : 'poor'
            : null;
          const muscle = channelMuscle(plan);
          return (
            <li
              key={plan.channel}
              className={`board-channel${over ? ' board-channel-over' : ''}`}
              data-testid="board-channel"
            >
              <div className="board-channel-label">
                <span>
                  Ch {plan.channel} · {muscle}
                </span>
                <span className="board-channel-ma" data-testid="board-intensity">
                  {reading ? formatMa(ma) : '–'} / {formatMa(plan.intensityCeilingMa)} mA
                </span>
              </div>
              <div
                className="board-bar"
                role="meter"
                aria-label={`Channel ${plan.channel} ${muscle} intensity`}
                aria-valuemin={0}
                aria-valuemax={plan.intensityCeilingMa}
                aria-valuenow={Math.round(ma * 10) / 10}
                aria-valuetext={`${formatMa(ma)} of ${formatMa(plan.intensityCeilingMa)} mA${over ? ', above the ceiling' : ''}`}
              >
                <span className="board-bar-fill" style={{ transform: `scaleX(${pct / 100})` }} />
              </div>
              {contact && (
                <span className={`board-contact board-contact-${contact}`}>
                  Contact {contact}
                  {contact === 'poor' && reading ? ` (${Math.round(reading.impedanceOhm)} Ω)` : ''}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <SessionChart
        store={store}
        sessionId={session.sessionId}
        channels={chartChannels}
        label={`${roomName}: intensity over the last minute`}
      />
      <p className="board-device">
        {latest ? (
          <>
            <span className={latest.batteryPct < 20 ? 'board-low' : undefined}>
              Battery {Math.round(latest.batteryPct)}%
            </span>
            {latest.flags.length > 0 && (
              <span className="board-flags"> · {latest.flags.join(', ').replace(/_/g, ' ')}</span>
            )}
          </>
        ) : (
          <span>No readings yet</span>
        )}
        <span
          className={`board-fresh${stale ? ' board-fresh-stale' : ''}`}
          data-testid="board-freshness"
        >
          {fresh === null
            ? session.status === 'running'
              ? 'No signal yet'
              : ''
            : stale
              ? `Signal stale · ${fresh} s`
              : `Signal ${fresh} s ago`}
        </span>
      </p>
    </div>
  );
});
