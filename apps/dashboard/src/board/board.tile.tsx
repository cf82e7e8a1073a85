import {
  ALARM_PRESENTATION,
  alertHeadline,
  compareAlarms,
  isSounding,
  type Alert,
  type LiveSession,
  type Role,
} from '@tautline/domain';
import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { durationWords } from './board.alerts';
import { SessionChart, channelColour } from './board.chart';
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
import { SessionActions } from './board.actions';
import { AlarmIcon } from './board.icon';
import { BodySilhouette } from './board.silhouette';
import { type BoardEntry, type BoardStore } from './board.store';

interface TileProps {
  store: BoardStore;
  entry: BoardEntry;
  /** Shown when the board holds several clinics. */
  clinicName: string | null;
  role: Role;
}

/**
 * One live session. Memoised and keyed by session: it re-renders for its own session's updates and
 * alerts only; its place (attention rank) comes from the grid.
 */
export const SessionTile = memo(function SessionTile({
  store,
  entry,
  clinicName,
  role,
}: TileProps) {
  const headingId = `board-session-${entry.sessionId}`;
  const [element, setElement] = useState<HTMLElement | null>(null);
  const visible = useOnScreen(element);
  return (
    <article
      ref={setElement}
      className={`board-tile board-attention-${entry.rank}`}
      aria-labelledby={headingId}
      data-testid="board-tile"
      data-session={entry.sessionId}
      data-attention={entry.rank}
      data-room={entry.roomName}
      tabIndex={-1}
    >
      <SessionView
        store={store}
        sessionId={entry.sessionId}
        clinicName={clinicName}
        headingId={headingId}
        visible={visible}
        role={role}
      />
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

function SessionView({
  store,
  sessionId,
  clinicName,
  headingId,
  visible,
  role,
}: {
  store: BoardStore;
  sessionId: string;
  clinicName: string | null;
  headingId: string;
  visible: boolean;
  role: Role;
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
  const subscribeAlerts = useCallback(
    (l: () => void) => store.subscribeSessionAlerts(sessionId, l),
    [store, sessionId],
  );
  const alerts = useSyncExternalStore(subscribeAlerts, () => store.alertsOf(sessionId));
  const now = useBoardNow(visible);
  if (!live) return null;
  return (
    <SessionBody
      store={store}
      session={live}
      alerts={alerts}
      clinicName={clinicName}
      headingId={headingId}
      now={now}
      role={role}
    />
  );
}

/** The most urgent alert a tile names: sounding first, then acknowledged; closed ones are not shown. */
function topAlert(alerts: readonly Alert[]): Alert | undefined {
  return [...alerts].filter((a) => a.status !== 'resolved').sort(compareAlarms)[0];
}

const SessionBody = memo(function SessionBody({
  store,
  session,
  alerts,
  clinicName,
  headingId,
  now,
  role,
}: {
  store: BoardStore;
  session: LiveSession;
  alerts: readonly Alert[];
  clinicName: string | null;
  headingId: string;
  now: number;
  role: Role;
}) {
  const { elapsedSeconds, remainingSeconds } = sessionTimes(session, now);
  const fresh = freshnessSeconds(session, now);
  const stale = session.status === 'running' && (fresh === null || fresh > STALE_AFTER_SECONDS);
  const latest = session.latest;
  const top = topAlert(alerts);
  const chartChannels = session.plan.channels.map((c) => ({
    channel: c.channel,
    ceiling: c.intensityCeilingMa,
  }));

  return (
    <div className={`board-session${stale ? ' board-stale' : ''}`}>
      <header className="board-tile-head">
        <h3 id={headingId}>{session.roomName}</h3>
        {clinicName && <span className="board-tile-clinic">{clinicName}</span>}
        <span className={`board-status board-status-${session.status}`} data-testid="board-status">
          {STATUS_WORDS[session.status] ?? session.status}
        </span>
      </header>
      {top && (
        <p
          className={`board-tile-alarm board-tile-alarm-${top.severity}${isSounding(top) ? ' board-tile-alarm-sounding' : ' board-tile-alarm-quiet'}`}
          data-testid="board-tile-alarm"
        >
          <AlarmIcon severity={top.severity} />
          <span className="visually-hidden">{ALARM_PRESENTATION[top.severity].label}: </span>
          <span className="board-tile-alarm-body">
            <span className="board-tile-alarm-text">{alertHeadline(top, session.thresholds)}</span>
            {top.status === 'latched' && (
              <span className="board-tile-alarm-state"> — cleared, not acknowledged</span>
            )}
            {top.status === 'acknowledged' && (
              <span className="board-tile-alarm-state"> — acknowledged</span>
            )}
          </span>
        </p>
      )}
      <div className="board-who">
        <span
          className="board-initials"
          data-testid="board-initials"
          aria-label={`Patient ${session.patientInitials}`}
        >
          {session.patientInitials}
        </span>
        <span className="board-practitioner">{session.practitionerName}</span>
        <dl className="board-times">
          <div>
            <dt className="visually-hidden">Elapsed</dt>
            <dd data-testid="board-elapsed">{clockWords(elapsedSeconds)}</dd>
          </div>
          <div>
            <dt>{remainingSeconds >= 0 ? 'left' : 'over'}</dt>
            <dd
              data-testid="board-remaining"
              className={remainingSeconds < 0 ? 'board-over' : undefined}
            >
              {clockWords(Math.abs(remainingSeconds))}
            </dd>
          </div>
        </dl>
      </div>
      <ul className="board-channels" aria-label={`${session.roomName} channels`}>
        {session.plan.channels.map((plan, i) => {
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
                <span className="board-channel-name" title={`Channel ${plan.channel}: ${muscle}`}>
                  {/* The number on the channel's chart colour: the list is the chart's key. */}
                  <span className="board-swatch" style={{ background: channelColour(i) }}>
                    <span className="visually-hidden">Ch </span>
                    {plan.channel}
                  </span>
                  <span className="visually-hidden"> · </span>
                  {muscle}
                </span>
                {contact && (
                  <span
                    className={`board-contact board-contact-${contact}`}
                    title={
                      reading
                        ? `Impedance ${Math.round(reading.impedanceOhm).toLocaleString('en-GB')} Ω`
                        : undefined
                    }
                  >
                    {contact === 'ok' ? (
                      <span className="visually-hidden">Contact ok</span>
                    ) : (
                      `Contact poor (${Math.round(reading!.impedanceOhm).toLocaleString('en-GB')} Ω)`
                    )}
                  </span>
                )}
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
            </li>
          );
        })}
      </ul>
      <div className="board-visuals">
        <SessionChart
          store={store}
          sessionId={session.sessionId}
          channels={chartChannels}
          label={`${session.roomName}: intensity over the last minute, with each channel's ceiling`}
        />
        <BodySilhouette plan={session.plan} height={52} />
      </div>
      <p className="board-device">
        {latest ? (
          <span className={latest.batteryPct < 20 ? 'board-low' : undefined}>
            Battery {Math.round(latest.batteryPct)}%
            {latest.flags.length > 0 && (
              <span className="board-flags"> · {latest.flags.join(', ').replace(/_/g, ' ')}</span>
            )}
          </span>
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
              ? `Signal stale · ${durationWords(fresh * 1000)}`
              : `Signal ${durationWords(fresh * 1000)} ago`}
        </span>
      </p>
      <SessionActions session={session} role={role} treatingUserId={session.practitionerUserId} />
    </div>
  );
});
