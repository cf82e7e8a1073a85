// The live board benchmark's stand-in for the api and worker: an HTTP + socket.io server in the
// benchmark's process that answers the few REST calls the board makes and plays the worker on the
// `/live` namespace: `session.updated` at a fixed rate per session, and bursts of `alert.raised`.
import {
  DEFAULT_SAFETY_THRESHOLDS,
  LIVE_NAMESPACE,
  clinicRoom,
  type Alert,
  type Clinic,
  type LiveSession,
  type LoginResponse,
  type Room,
} from '@tautline/domain';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { FAKE_PLAN, fakeId } from '../../support/fake-board-api';
import { answerJson, IoServerClass as Server } from '../../support/fake-live-io';

export const SESSIONS = 200;
export const UPDATES_PER_SECOND = 4;
const TICK_MS = 25;

export const uuid = fakeId;
const ORG = uuid('9', 0);
export const CLINIC = uuid('1', 0);
const USER_ID = uuid('7', 0);
const clinic: Clinic = {
  id: CLINIC,
  organisationId: ORG,
  name: 'Bench Clinic',
  timeZone: 'Europe/London',
  phone: null,
};
export const rooms: Room[] = Array.from({ length: SESSIONS }, (_, i) => ({
  id: uuid('a', i),
  clinicId: CLINIC,
  name: `Room ${i + 1}`,
  hasStimulator: true,
  active: true,
}));
// The browser tests' four-channel plan: the most a tile has to fit.
const PLAN = FAKE_PLAN;

const patientInitials = (i: number) =>
  String.fromCharCode(65 + (i % 26)) + String.fromCharCode(65 + ((i * 7) % 26));

/** A session's state, advanced by `next()` as the worker's coalesced updates would be. */
class FakeSession {
  seq = 1;
  updateSeq = 1;
  /** Raised by bursts: carried in every later update, as the worker's snapshot would. */
  openAlerts: Alert[] = [];
  private readonly started = Date.now() - (60 + (this.i % 600)) * 1000;
  constructor(private readonly i: number) {}

  next(): LiveSession {
    this.seq += 2;
    this.updateSeq += 1;
    return this.view();
  }

  view(): LiveSession {
    const now = new Date().toISOString();
    const t = Date.now() / 1000;
    return {
      sessionId: sessionIdOf(this.i),
      clinicId: CLINIC,
      roomId: rooms[this.i]!.id,
      roomName: rooms[this.i]!.name,
      deviceId: uuid('c', this.i),
      appointmentId: uuid('d', this.i),
      patientInitials: patientInitials(this.i),
      practitionerName: `Practitioner ${(this.i % 12) + 1}`,
      status: 'running',
      plan: PLAN,
      thresholds: DEFAULT_SAFETY_THRESHOLDS,
      startedAt: new Date(this.started).toISOString(),
      runningSeconds: 0,
      runningSince: new Date(this.started).toISOString(),
      latest: {
        seq: this.seq,
        at: now,
        receivedAt: now,
        batteryPct: 90 - (this.i % 50),
        flags: [],
        channels: PLAN.channels.map((c, k) => ({
          channel: c.channel,
          intensityMa:
            Math.round(
              (c.intensityCeilingMa * (0.6 + 0.1 * Math.sin(t / 3 + this.i + k)) +
                Math.random() * 0.3) *
                100,
            ) / 100,
          frequencyHz: 4,
          pulseWidthUs: 250,
          impedanceOhm: 1500 + Math.round(Math.random() * 300),
        })),
      },
      openAlerts: this.openAlerts,
      updateEpoch: 1,
      updateSeq: this.updateSeq,
    };
  }
}

/** One alert of a burst: which session it is for and the tile attention it must reach (0 critical, 1 warning). */
export interface BurstAlert {
  alert: Alert;
  sessionId: string;
  rank: number;
}

export interface FakeApi {
  url: string;
  /** Starts (true) or stops (false) the 4 updates/s per session. */
  stream(on: boolean): void;
  emitted(): number;
  /**
   * Emits the alerts as `alert.raised`, evenly over `overMs`; resolves with each alert's emit time
   * (epoch ms, this process's clock: the page's `performance.timeOrigin + now()` reads the same clock).
   */
  burst(alerts: readonly BurstAlert[], overMs: number): Promise<Map<string, number>>;
  /** Forgets every burst's alerts (before a fresh board opens). */
  clearAlerts(): void;
  close(): Promise<void>;
}

export const sessionIdOf = (i: number) => uuid('b', i);

/**
 * `count` new alerts spread evenly over the sessions (a different session each while count ≤ 200),
 * two critical (over the ceiling) for one warning (a jump), ids unique to `step`.
 */
export function burstAlerts(step: number, count: number): BurstAlert[] {
  return Array.from({ length: count }, (_, k) => {
    const i = Math.floor((k * SESSIONS) / count) % SESSIONS;
    const critical = k % 3 !== 2;
    const room = rooms[i]!;
    const alert: Alert = {
      id: uuid('e', step * 10_000 + k),
      sessionId: sessionIdOf(i),
      clinicId: CLINIC,
      roomId: room.id,
      kind: critical ? 'intensity_over_ceiling' : 'intensity_jump',
      severity: critical ? 'critical' : 'warning',
      channel: 1,
      muscle: 'infraspinatus',
      side: 'right',
      message: critical
        ? 'Ch 1 right infraspinatus 23.5 mA > ceiling 18 mA'
        : 'Ch 1 right infraspinatus rose 5 mA in 1 s > 4 mA',
      value: critical ? 23.5 : 5,
      limit: critical ? 18 : 4,
      clinicName: clinic.name,
      roomName: room.name,
      patientInitials: patientInitials(i),
      status: 'open',
      raisedAt: new Date().toISOString(),
      clearedAt: null,
      resolvedAt: null,
      occurrences: 1,
      realertedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgedByName: null,
      acknowledgementNote: null,
      escalatedAt: null,
    };
    return { alert, sessionId: alert.sessionId!, rank: critical ? 0 : 1 };
  });
}

export async function startFakeApi(): Promise<FakeApi> {
  const sessions = Array.from({ length: SESSIONS }, (_, i) => new FakeSession(i));
  const byId = new Map(sessions.map((s, i) => [sessionIdOf(i), s]));
  const login: LoginResponse = {
    accessToken: 'bench-token',
    expiresIn: 3600,
    sessionExpiresAt: new Date(Date.now() + 12 * 3600_000).toISOString(),
    user: {
      id: USER_ID,
      email: 'bench@tautline.test',
      name: 'Bench Supervisor',
      role: 'supervisor',
      organisationId: ORG,
      clinicIds: [CLINIC],
    },
  };
  const answer = answerJson;
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? '/').split('?')[0]!;
    req.resume();
    if (req.method === 'POST' && url === '/api/v1/auth/login') return answer(res, 200, login);
    if (req.method === 'GET' && url === '/api/v1/clinics') return answer(res, 200, [clinic]);
    if (req.method === 'GET' && url === `/api/v1/clinics/${CLINIC}/rooms`)
      return answer(res, 200, rooms);
    if (req.method === 'GET' && url === '/api/v1/live/sessions')
      return answer(
        res,
        200,
        sessions.map((s) => s.view()),
      );
    if (req.method === 'GET' && url === '/api/v1/alerts')
      return answer(
        res,
        200,
        sessions.flatMap((s) => s.openAlerts),
      );
    if (url.startsWith('/socket.io')) return; // socket.io's own
    answer(res, 404, { type: 'about:blank', title: 'Not Found', status: 404, instance: url });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const io = new Server(http, { serveClient: false });
  const live = io.of(LIVE_NAMESPACE);
  live.on('connection', (socket) => {
    socket.on('clinics.subscribe', (payload, ack) => {
      void Promise.resolve(socket.join(payload.clinicIds.map(clinicRoom))).then(() =>
        ack({ joined: payload.clinicIds, rejected: [], sessions: sessions.map((s) => s.view()) }),
      );
    });
    socket.on('clinics.unsubscribe', (payload, ack) => ack({ left: payload.clinicIds }));
  });

  // Spread over the 250 ms period: each 25 ms tick emits a tenth of the sessions.
  let timer: NodeJS.Timeout | null = null;
  let tick = 0;
  let emitted = 0;
  const perTick = (SESSIONS * UPDATES_PER_SECOND * TICK_MS) / 1000;
  const room = live.to(clinicRoom(CLINIC));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    stream(on) {
      if (timer) clearInterval(timer);
      timer = null;
      if (!on) return;
      timer = setInterval(() => {
        for (let k = 0; k < perTick; k++) {
          room.emit('session.updated', sessions[(tick * perTick + k) % SESSIONS]!.next());
          emitted++;
        }
        tick++;
      }, TICK_MS);
    },
    emitted: () => emitted,
    burst(alerts, overMs) {
      const emittedAt = new Map<string, number>();
      const started = Date.now();
      const gap = alerts.length > 1 ? overMs / (alerts.length - 1) : 0;
      return new Promise((resolve) => {
        let next = 0;
        // Catch up on late timers so the burst keeps its length however busy the loop is.
        const fire = () => {
          const due = Math.min(alerts.length, Math.floor((Date.now() - started) / gap) + 1);
          for (; next < (gap === 0 ? alerts.length : due); next++) {
            const a = alerts[next]!;
            a.alert.raisedAt = new Date().toISOString();
            emittedAt.set(a.alert.id, Date.now());
            room.emit('alert.raised', { alert: a.alert });
            byId.get(a.sessionId)?.openAlerts.push(a.alert);
          }
          if (next < alerts.length)
            setTimeout(fire, Math.max(0, started + next * gap - Date.now()));
          else resolve(emittedAt);
        };
        fire();
      });
    },
    clearAlerts() {
      for (const s of sessions) s.openAlerts = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        http.closeAllConnections();
        io.close(() => resolve());
      }),
  };
}
