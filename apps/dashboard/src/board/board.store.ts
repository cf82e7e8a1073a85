import {
  compareSessionsForTriage,
  orderUpdate,
  sessionAttention,
  type Alert,
  type AttentionRank,
  type LiveSession,
  type UpdateStamp,
} from '@tautline/domain';
import { mergeAlert } from './board.alerts';

/** Seconds of intensity history each tile's chart shows. */
export const SERIES_SECONDS = 60;
/** Enough for 10 updates/s over the window; older points fall off the front. */
const SERIES_MAX_POINTS = 600;

/** The last minute of one session's per-channel intensity, appended as updates arrive. */
export class SessionSeries {
  /** Unix seconds (uPlot's x unit). */
  readonly times: number[] = [];
  readonly channels: number[];
  readonly values: number[][];
  private lastSeq = -1;

  constructor(channels: number[]) {
    this.channels = channels;
    this.values = channels.map(() => []);
  }

  push(session: LiveSession): boolean {
    const latest = session.latest;
    if (!latest || latest.seq === this.lastSeq) return false;
    this.lastSeq = latest.seq;
    const t = Date.parse(latest.receivedAt) / 1000;
    this.times.push(t);
    this.channels.forEach((channel, i) => {
      const reading = latest.channels.find((c) => c.channel === channel);
      this.values[i]!.push(reading ? reading.intensityMa : NaN);
    });
    let drop = 0;
    while (
      drop < this.times.length &&
      (this.times[drop]! < t - SERIES_SECONDS || this.times.length - drop > SERIES_MAX_POINTS)
    )
      drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.values.forEach((v) => v.splice(0, drop));
    }
    return true;
  }

  /** uPlot's aligned data: x first, then one array per channel. */
  data(): [number[], ...number[][]] {
    return [this.times, ...this.values];
  }
}

/** Which session, if any, occupies each room: changes only when sessions start, end or move. */
export type RoomIndex = ReadonlyMap<string, string>;

/** A session's place on the board: attention rank (0 = unacknowledged critical … 5 = ready), then room. */
export interface BoardEntry {
  readonly sessionId: string;
  readonly clinicId: string;
  readonly roomName: string;
  readonly status: LiveSession['status'];
  readonly rank: AttentionRank;
}

/** A clinic's strip: what a supervisor scans first. */
export interface ClinicSummary {
  readonly running: number;
  /** Sessions with an unacknowledged (sounding) alert. */
  readonly alarming: number;
  /** Sessions whose device is offline (an unresolved device_offline alert). */
  readonly offline: number;
  /** The clinic's live monitoring is degraded (an unresolved monitoring_degraded alert). */
  readonly degraded: boolean;
}
const EMPTY_SUMMARY: ClinicSummary = { running: 0, alarming: 0, offline: 0, degraded: false };
const NO_ALERTS: readonly Alert[] = [];

type Listener = () => void;

export interface BoardStoreOptions {
  /** A clinic's snapshot must be re-fetched (an `updateSeq` gap, a new epoch). Called at most once per clinic per frame. */
  onGap(clinicIds: string[]): void;
  /** A new critical alert (raised or escalated) arrived live. */
  onCritical?(alert: Alert): void;
  /** Frame scheduling; tests and Node may pass their own. */
  requestFrame?: (cb: () => void) => number;
  cancelFrame?: (handle: number) => void;
}

const LIVE_STATUSES = new Set(['ready', 'running', 'paused']);

/**
 * The board's state outside React: sessions, their series and the alerts. Live updates are queued and
 * applied once per animation frame; only the tiles whose session changed are told (per-session
 * listeners), so 200 sessions updating several times a second never re-render the whole board.
 */
export class BoardStore {
  private sessions = new Map<string, LiveSession>();
  /** The latest `(updateEpoch, updateSeq)` seen per session, at arrival (before batching), for gap detection. */
  private seen = new Map<string, UpdateStamp>();
  private series = new Map<string, SessionSeries>();
  private pending = new Map<string, LiveSession>();
  /** Live alert events, applied with the next frame: a burst of 50 renders the tray once, not 50 times. */
  private pendingAlerts: Alert[] = [];
  private gaps = new Set<string>();
  private frame: number | null = null;
  private roomIndex: RoomIndex = new Map();
  private alerts = new Map<string, Alert>();
  private alertList: Alert[] = [];
  private readonly announced = new Set<string>();
  /** Per session, its alerts (a new array when one of them changes, for the tile's snapshot). */
  private sessionAlertLists = new Map<string, readonly Alert[]>();
  private attention = new Map<string, BoardEntry>();
  private orderList: readonly BoardEntry[] = [];
  private summaries = new Map<string, ClinicSummary>();
  private readonly orderListeners = new Set<Listener>();
  private readonly summaryListeners = new Set<Listener>();
  private readonly sessionAlertListeners = new Map<string, Set<Listener>>();
  private readonly sessionListeners = new Map<string, Set<Listener>>();
  private readonly seriesListeners = new Map<string, Set<Listener>>();
  private readonly roomListeners = new Set<Listener>();
  private readonly alertListeners = new Set<Listener>();
  private readonly requestFrame: (cb: () => void) => number;
  private readonly cancelFrame: (handle: number) => void;
  private disposed = false;

  constructor(private readonly options: BoardStoreOptions) {
    this.requestFrame = options.requestFrame ?? ((cb) => requestAnimationFrame(cb));
    this.cancelFrame = options.cancelFrame ?? ((h) => cancelAnimationFrame(h));
  }

  // ---- reads (stable references for useSyncExternalStore)
  session = (id: string): LiveSession | undefined => this.sessions.get(id);
  seriesOf = (id: string): SessionSeries | undefined => this.series.get(id);
  rooms = (): RoomIndex => this.roomIndex;
  alertsList = (): Alert[] => this.alertList;
  alert = (id: string): Alert | undefined => this.alerts.get(id);
  /** The live sessions in triage order (a new array only when a rank or the set changes). */
  order = (): readonly BoardEntry[] => this.orderList;
  summary = (clinicId: string): ClinicSummary => this.summaries.get(clinicId) ?? EMPTY_SUMMARY;
  alertsOf = (sessionId: string): readonly Alert[] =>
    this.sessionAlertLists.get(sessionId) ?? NO_ALERTS;

  subscribeSession(id: string, listener: Listener): () => void {
    return add(this.sessionListeners, id, listener);
  }
  subscribeSeries(id: string, listener: Listener): () => void {
    return add(this.seriesListeners, id, listener);
  }
  subscribeRooms = (listener: Listener): (() => void) => {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  };
  subscribeAlerts = (listener: Listener): (() => void) => {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  };
  subscribeOrder = (listener: Listener): (() => void) => {
    this.orderListeners.add(listener);
    return () => this.orderListeners.delete(listener);
  };
  subscribeSummaries = (listener: Listener): (() => void) => {
    this.summaryListeners.add(listener);
    return () => this.summaryListeners.delete(listener);
  };
  subscribeSessionAlerts(id: string, listener: Listener): () => void {
    return add(this.sessionAlertListeners, id, listener);
  }

  // ---- writes

  /** A `session.updated`: checked for a gap now, applied at the next frame. */
  receive(update: LiveSession): void {
    if (this.disposed) return;
    const order = orderUpdate(this.seen.get(update.sessionId), update);
    if (order === 'stale') return; // a late or repeated update
    // A new epoch (Redis lost the counter) is applied now, like any update; the snapshot fills what was missed.
    if (order === 'gap' || order === 'new_epoch') this.gaps.add(update.clinicId);
    this.seen.set(update.sessionId, stampOf(update));
    this.pending.set(update.sessionId, update);
    this.seriesFor(update).push(update);
    this.schedule();
  }

  /**
   * Every live session of `clinicIds` right now (REST or the subscription ack). Sessions of those
   * clinics that are absent have ended; a session we already hold newer (an update that overtook
   * the snapshot) is kept.
   */
  applySnapshot(clinicIds: readonly string[], sessions: readonly LiveSession[]): void {
    if (this.disposed) return;
    const clinics = new Set(clinicIds);
    const present = new Set(sessions.map((s) => s.sessionId));
    const changed = new Set<string>();
    for (const [id, s] of this.sessions) {
      if (clinics.has(s.clinicId) && !present.has(id)) {
        this.sessions.delete(id);
        this.pending.delete(id);
        changed.add(id);
      }
    }
    for (const s of sessions) {
      const seen = this.seen.get(s.sessionId);
      const current = this.sessions.get(s.sessionId);
      const held = seen && current ? latestOf(seen, current) : (seen ?? current);
      // The snapshot is taken unless we hold something newer; the same stamp re-applies it.
      if (held && orderUpdate(s, held) !== 'stale') continue;
      this.seen.set(s.sessionId, stampOf(s));
      this.pending.delete(s.sessionId);
      this.setSession(s);
      this.seriesFor(s).push(s);
      changed.add(s.sessionId);
    }
    this.afterChange(changed);
  }

  /** An `alert.raised` / `alert.updated` / `alert.escalated`: applied (and announced) at the next frame. */
  receiveAlert(alert: Alert): void {
    if (this.disposed) return;
    this.pendingAlerts.push(alert);
    this.schedule();
  }

  /** Alerts from REST (seed) or events; `live` ones may be announced (`onCritical`). */
  upsertAlerts(alerts: readonly Alert[], live = false): void {
    if (this.disposed || alerts.length === 0) return;
    const touched = new Set<string>();
    for (const alert of alerts) {
      const current = this.alerts.get(alert.id);
      const merged = mergeAlert(current, alert);
      if (live && merged.severity === 'critical' && merged.status === 'open') {
        // Announced when raised, when it comes back (latched → open, re-alert) and when it escalates.
        const cue = `${merged.id}:${merged.occurrences}:${merged.realertedAt ?? ''}:${merged.escalatedAt ? 'e' : ''}`;
        if (!this.announced.has(cue)) {
          this.announced.add(cue);
          this.options.onCritical?.(merged);
        }
      }
      if (current && sameAlertState(current, merged)) continue;
      this.alerts.set(alert.id, merged);
      touched.add(merged.sessionId ?? `clinic:${merged.clinicId}`);
    }
    if (touched.size === 0) return;
    this.alertsChanged(touched);
  }

  /** Takes a closed alert off the tray (local to this screen). */
  dismissAlert(id: string): void {
    const alert = this.alerts.get(id);
    if (!alert || !this.alerts.delete(id)) return;
    this.alertsChanged(new Set([alert.sessionId ?? `clinic:${alert.clinicId}`]));
  }

  private alertsChanged(sessions: ReadonlySet<string>): void {
    this.alertList = [...this.alerts.values()];
    for (const id of sessions) {
      if (id.startsWith('clinic:')) continue;
      this.sessionAlertLists.set(
        id,
        this.alertList.filter((a) => a.sessionId === id),
      );
      this.sessionAlertListeners.get(id)?.forEach((l) => l());
    }
    this.alertListeners.forEach((l) => l());
    this.refreshAttention(sessions, true);
  }

  /** Applies what is queued now (the frame callback; tests may call it). */
  flush = (): void => {
    this.frame = null;
    if (this.disposed) return;
    const changed = new Set<string>();
    for (const update of this.pending.values()) {
      this.setSession(update);
      changed.add(update.sessionId);
    }
    this.pending.clear();
    this.afterChange(changed);
    if (this.pendingAlerts.length > 0) {
      const alerts = this.pendingAlerts;
      this.pendingAlerts = [];
      this.upsertAlerts(alerts, true);
    }
    if (this.gaps.size > 0) {
      const clinics = [...this.gaps];
      this.gaps.clear();
      this.options.onGap(clinics);
    }
  };

  dispose(): void {
    this.disposed = true;
    if (this.frame !== null) this.cancelFrame(this.frame);
    this.frame = null;
  }

  private schedule(): void {
    if (this.frame === null) this.frame = this.requestFrame(this.flush);
  }

  private setSession(s: LiveSession): void {
    if (LIVE_STATUSES.has(s.status)) this.sessions.set(s.sessionId, s);
    else this.sessions.delete(s.sessionId); // completed or aborted: the room is free again
    if (s.openAlerts.length > 0) this.upsertAlerts(s.openAlerts);
  }

  private seriesFor(s: LiveSession): SessionSeries {
    let series = this.series.get(s.sessionId);
    if (!series) {
      series = new SessionSeries(s.plan.channels.map((c) => c.channel));
      this.series.set(s.sessionId, series);
    }
    return series;
  }

  private afterChange(changed: ReadonlySet<string>): void {
    if (changed.size === 0) return;
    const next = new Map<string, string>();
    for (const s of this.sessions.values()) next.set(s.roomId, s.sessionId);
    const roomsChanged =
      next.size !== this.roomIndex.size ||
      [...next].some(([room, id]) => this.roomIndex.get(room) !== id);
    if (roomsChanged) {
      this.roomIndex = next;
      this.roomListeners.forEach((l) => l());
    }
    for (const id of changed) {
      this.sessionListeners.get(id)?.forEach((l) => l());
      this.seriesListeners.get(id)?.forEach((l) => l());
    }
    this.refreshAttention(changed, false);
  }

  /**
   * Re-ranks the given sessions; the order (and the clinic strips) are rebuilt only when a rank or the
   * set of sessions changed, so ordinary readings never re-render the grid.
   */
  private refreshAttention(ids: ReadonlySet<string>, alertsChanged: boolean): void {
    let dirty = false;
    for (const id of ids) {
      const s = this.sessions.get(id);
      const held = this.attention.get(id);
      if (!s) {
        if (held) {
          this.attention.delete(id);
          dirty = true;
        }
        continue;
      }
      const rank = sessionAttention(s, this.alertsOf(id));
      if (held && held.rank === rank && held.roomName === s.roomName && held.status === s.status)
        continue;
      this.attention.set(id, {
        sessionId: id,
        clinicId: s.clinicId,
        roomName: s.roomName,
        status: s.status,
        rank,
      });
      dirty = true;
    }
    if (dirty) {
      this.orderList = [...this.attention.values()].sort(compareSessionsForTriage);
      this.orderListeners.forEach((l) => l());
    }
    if (dirty || alertsChanged) this.refreshSummaries();
  }

  private refreshSummaries(): void {
    const next = new Map<
      string,
      { running: number; alarming: number; offline: number; degraded: boolean }
    >();
    const of = (clinicId: string) => {
      let s = next.get(clinicId);
      if (!s) next.set(clinicId, (s = { running: 0, alarming: 0, offline: 0, degraded: false }));
      return s;
    };
    for (const entry of this.orderList) {
      const s = of(entry.clinicId);
      if (entry.status === 'running') s.running++;
      if (entry.rank <= 2) s.alarming++;
    }
    const offline = new Set<string>();
    for (const a of this.alertList) {
      if (a.status === 'resolved') continue;
      if (a.kind === 'monitoring_degraded') of(a.clinicId).degraded = true;
      if (a.kind === 'device_offline' && a.sessionId && this.sessions.has(a.sessionId))
        offline.add(a.sessionId);
    }
    for (const id of offline) of(this.sessions.get(id)!.clinicId).offline++;
    let changed = next.size !== this.summaries.size;
    for (const [clinicId, s] of next) {
      const held = this.summaries.get(clinicId);
      if (
        held &&
        held.running === s.running &&
        held.alarming === s.alarming &&
        held.offline === s.offline &&
        held.degraded === s.degraded
      ) {
        next.set(clinicId, held);
        continue;
      }
      changed = true;
    }
    if (!changed) return;
    this.summaries = next;
    this.summaryListeners.forEach((l) => l());
  }
}

const stampOf = (s: UpdateStamp): UpdateStamp => ({
  updateEpoch: s.updateEpoch,
  updateSeq: s.updateSeq,
});
const latestOf = (a: UpdateStamp, b: UpdateStamp): UpdateStamp =>
  orderUpdate(a, b) === 'stale' ? a : b;

const sameAlertState = (a: Alert, b: Alert) =>
  a.status === b.status &&
  a.escalatedAt === b.escalatedAt &&
  a.acknowledgedAt === b.acknowledgedAt &&
  a.resolvedAt === b.resolvedAt &&
  a.clearedAt === b.clearedAt &&
  a.occurrences === b.occurrences &&
  a.realertedAt === b.realertedAt &&
  a.value === b.value;

function add(map: Map<string, Set<Listener>>, id: string, listener: Listener): () => void {
  let set = map.get(id);
  if (!set) {
    set = new Set();
    map.set(id, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) map.delete(id);
  };
}
