import {
  alarmTransition,
  clinicRoom,
  DEFAULT_SAFETY_THRESHOLDS,
  LIVE_NAMESPACE,
  type Alert,
  type Clinic,
  type LiveSession,
  type LoginResponse,
  type Role,
  type Room,
  type SessionPlan,
} from '@tautline/domain';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { answerJson, IoServerClass as Server, type IoNamespace } from './fake-live-io';

// A small stand-in for the API and the worker's live feed, for browser tests of the live board's
// layout and alarm handling with many rooms (the demo seed has two stimulator rooms per clinic):
// it answers the REST calls the board makes, acknowledges alerts with the domain's alarm model and
// plays `/live` events the test asks for. Whole-system behaviour is tested against the real stack.

export const fakeId = (prefix: string, n: number): string =>
  `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;
export const FAKE_ORG = fakeId('9', 0);

/** Four channels (the most a tile has to fit), one of them midline. */
export const FAKE_PLAN: SessionPlan = {
  plannedDurationMinutes: 30,
  channels: [
    {
      channel: 1,
      muscle: 'infraspinatus',
      side: 'right',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 18,
    },
    {
      channel: 2,
      muscle: 'upper_trapezius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 12,
    },
    {
      channel: 3,
      muscle: 'levator_scapulae',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 10,
    },
    {
      channel: 4,
      muscle: 'multifidus',
      side: 'midline',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 14,
    },
  ],
};

export function fakeClinic(n: number, name: string): Clinic {
  return {
    id: fakeId('1', n),
    organisationId: FAKE_ORG,
    name,
    timeZone: 'Europe/London',
    phone: null,
  };
}

export function fakeRooms(clinic: Clinic, count: number): Room[] {
  const n = Number(clinic.id.slice(1, 8));
  return Array.from({ length: count }, (_, i) => ({
    id: fakeId('a', n * 1000 + i + 1),
    clinicId: clinic.id,
    name: `Room ${i + 1}`,
    hasStimulator: true,
    active: true,
  }));
}

/** A live session in `room`, its readings fresh as of now. */
export function fakeSession(room: Room, n: number, patch: Partial<LiveSession> = {}): LiveSession {
  const now = new Date().toISOString();
  const started = new Date(Date.now() - (120 + n * 37) * 1000).toISOString();
  return {
    sessionId: fakeId('b', n),
    clinicId: room.clinicId,
    roomId: room.id,
    roomName: room.name,
    deviceId: fakeId('c', n),
    appointmentId: fakeId('d', n),
    patientInitials: `${String.fromCharCode(65 + (n % 26))}.${String.fromCharCode(65 + ((n * 7) % 26))}.`,
    practitionerName: `Practitioner ${(n % 5) + 1}`,
    status: 'running',
    plan: FAKE_PLAN,
    thresholds: DEFAULT_SAFETY_THRESHOLDS,
    startedAt: started,
    runningSeconds: 0,
    runningSince: started,
    latest: {
      seq: 1,
      at: now,
      receivedAt: now,
      batteryPct: 90 - (n % 7) * 11,
      flags: [],
      channels: FAKE_PLAN.channels.map((c, k) => ({
        channel: c.channel,
        intensityMa: Math.round(c.intensityCeilingMa * (0.5 + 0.07 * ((n + k) % 5)) * 10) / 10,
        frequencyHz: 4,
        pulseWidthUs: 250,
        impedanceOhm: 1500 + 100 * k,
      })),
    },
    openAlerts: [],
    updateEpoch: 1,
    updateSeq: 1,
    ...patch,
  };
}

/** An open critical "over the ceiling" alert on channel 1 of `session`. */
export function fakeAlert(session: LiveSession, n: number, patch: Partial<Alert> = {}): Alert {
  return {
    id: fakeId('e', n),
    sessionId: session.sessionId,
    clinicId: session.clinicId,
    roomId: session.roomId,
    kind: 'intensity_over_ceiling',
    severity: 'critical',
    channel: 1,
    muscle: 'infraspinatus',
    side: 'right',
    message: `${session.roomName} · channel 1 (right infraspinatus): 23.5 mA is above the planned ceiling of 18 mA`,
    value: 23.5,
    limit: 18,
    clinicName: null,
    roomName: session.roomName,
    patientInitials: session.patientInitials,
    status: 'open',
    raisedAt: new Date(Date.now() - 20_000).toISOString(),
    clearedAt: null,
    resolvedAt: null,
    occurrences: 1,
    realertedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgedByName: null,
    acknowledgementNote: null,
    escalatedAt: null,
    ...patch,
  };
}

export interface FakeBoardApi {
  url: string;
  sessions: LiveSession[];
  alerts: Map<string, Alert>;
  /** `alert.raised` / `alert.updated` to the alert's clinic, and kept for REST. */
  emitAlert(event: 'alert.raised' | 'alert.updated' | 'alert.escalated', alert: Alert): void;
  emitSession(session: LiveSession): void;
  /** Fresh readings for every running session, 4 times a second (false stops it). */
  stream(on: boolean): void;
  /** POST bodies of acknowledge calls, by alert id. */
  acknowledgements: { alertId: string; note?: string }[];
  close(): Promise<void>;
}

export async function startFakeBoardApi(options: {
  role: Role;
  clinics: Clinic[];
  rooms: Room[];
  sessions: LiveSession[];
  alerts?: Alert[];
}): Promise<FakeBoardApi> {
  const user = {
    id: fakeId('7', 0),
    email: `${options.role}@tautline.test`,
    name: options.role === 'scheduler' ? 'Sandy Scheduler' : 'Dr Sofia Supervisor',
    role: options.role,
    organisationId: FAKE_ORG,
    clinicIds: options.clinics.map((c) => c.id),
  };
  const login: LoginResponse = {
    accessToken: 'fake-token',
    expiresIn: 3600,
    sessionExpiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(),
    user,
  };
  const alerts = new Map((options.alerts ?? []).map((a) => [a.id, a]));
  const acknowledgements: { alertId: string; note?: string }[] = [];
  const answer = answerJson;
  const problem = (res: ServerResponse, status: number, title: string, extra = {}) =>
    answer(res, status, { type: 'about:blank', title, status, ...extra });
  let live: IoNamespace | null = null;
  let timer: NodeJS.Timeout | null = null;
  const emitAlert = (event: string, alert: Alert) => {
    alerts.set(alert.id, alert);
    live?.to(clinicRoom(alert.clinicId)).emit(event, { alert });
  };

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const [url = '/', query = ''] = (req.url ?? '/').split('?');
    const params = new URLSearchParams(query);
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (url.startsWith('/socket.io')) return; // socket.io's own
      if (req.method === 'POST' && url === '/api/v1/auth/login') return answer(res, 200, login);
      if (req.method === 'GET' && url === '/api/v1/clinics')
        return answer(res, 200, options.clinics);
      const rooms = /^\/api\/v1\/clinics\/([^/]+)\/rooms$/.exec(url);
      if (req.method === 'GET' && rooms)
        return answer(
          res,
          200,
          options.rooms.filter((r) => r.clinicId === rooms[1]),
        );
      if (req.method === 'GET' && url === '/api/v1/live/sessions')
        return answer(
          res,
          200,
          api.sessions.filter((s) => s.clinicId === params.get('clinicId')),
        );
      if (req.method === 'GET' && url === '/api/v1/alerts')
        return answer(
          res,
          200,
          [...alerts.values()].filter(
            (a) =>
              a.clinicId === params.get('clinicId') &&
              (!params.get('status') || a.status === params.get('status')),
          ),
        );
      const ack = /^\/api\/v1\/alerts\/([^/]+)\/acknowledge$/.exec(url);
      if (req.method === 'POST' && ack) {
        if (options.role === 'scheduler') return problem(res, 403, 'Forbidden');
        const alert = alerts.get(ack[1]!);
        if (!alert) return problem(res, 404, 'Not Found');
        const next = alarmTransition(alert, 'acknowledge');
        if (!next.ok)
          return problem(res, 409, 'Conflict', {
            detail: next.error.message,
            currentStatus: alert.status,
          });
        const body = (raw ? JSON.parse(raw) : {}) as { note?: string };
        acknowledgements.push({ alertId: alert.id, note: body.note });
        const at = new Date().toISOString();
        const updated: Alert = {
          ...alert,
          status: next.status,
          resolvedAt: next.status === 'resolved' ? at : alert.resolvedAt,
          acknowledgedAt: at,
          acknowledgedBy: user.id,
          acknowledgedByName: user.name,
          acknowledgementNote: body.note ?? null,
        };
        emitAlert('alert.updated', updated);
        return answer(res, 200, updated);
      }
      // Everything else the shell asks for (notices, …) is empty.
      if (req.method === 'GET') return answer(res, 200, []);
      problem(res, 404, 'Not Found');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const io = new Server(http, { serveClient: false });
  live = io.of(LIVE_NAMESPACE);
  live.on('connection', (socket) => {
    socket.on('clinics.subscribe', (payload, ack) => {
      void Promise.resolve(socket.join(payload.clinicIds.map(clinicRoom))).then(() =>
        ack({
          joined: payload.clinicIds,
          rejected: [],
          sessions: api.sessions.filter((s) => payload.clinicIds.includes(s.clinicId)),
        }),
      );
    });
    socket.on('clinics.unsubscribe', (payload, ack) => ack({ left: payload.clinicIds }));
  });

  const api: FakeBoardApi = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    sessions: options.sessions,
    alerts,
    acknowledgements,
    emitAlert,
    emitSession(session) {
      live?.to(clinicRoom(session.clinicId)).emit('session.updated', session);
    },
    stream(on) {
      if (timer) clearInterval(timer);
      timer = null;
      if (!on) return;
      timer = setInterval(() => {
        const t = Date.now() / 1000;
        api.sessions = api.sessions.map((s, i) => {
          if (s.status !== 'running' || !s.latest) return s;
          const now = new Date().toISOString();
          const next: LiveSession = {
            ...s,
            updateSeq: s.updateSeq + 1,
            latest: {
              ...s.latest,
              seq: s.latest.seq + 1,
              at: now,
              receivedAt: now,
              channels: s.latest.channels.map((c, k) => {
                const ceiling = s.plan.channels[k]?.intensityCeilingMa ?? 12;
                const ma = ceiling * (0.6 + 0.12 * Math.sin(t / 4 + i + k * 2));
                return { ...c, intensityMa: Math.round(ma * 10) / 10 };
              }),
            },
          };
          api.emitSession(next);
          return next;
        });
      }, 250);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        http.closeAllConnections();
        io.close(() => resolve());
      }),
  };
  return api;
}
