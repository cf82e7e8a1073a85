// Benchmark (not a test): the supervisor live board (issue 6, item 3) with 200 running sessions updating
// 4 times a second each, in headless Chromium, against the same page idle (0 updates/s) in the same run.
// The built dashboard is served by Vite preview (tests/support/dashboard-server.ts), proxying to a small
// HTTP + socket.io server in this process that answers the few REST calls the board makes and plays
// the worker on the `/live` namespace. Measured per phase (~20 s): frames per second (a rAF counter in
// the page), main-thread busy time (CDP Performance.getMetrics TaskDuration / ScriptDuration deltas),
// long tasks (PerformanceObserver 'longtask').
// Run: `npx tsx bench/run.ts live-board` in tests/ (after a build).
import {
  DEFAULT_SAFETY_THRESHOLDS,
  LIVE_NAMESPACE,
  clinicRoom,
  type Clinic,
  type LiveSession,
  type LoginResponse,
  type Room,
  type SessionPlan,
} from '@tautline/domain';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard } from '../support/dashboard-server';
import { heading, ms, table, writeResults } from './support/report';

const SESSIONS = 200;
const UPDATES_PER_SECOND = 4;
const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const TICK_MS = 25;

// socket.io (the server) is a dependency of the dashboard's tests, not of this package: load it from there.
const requireFromDashboard = createRequire(
  path.resolve(__dirname, '../../apps/dashboard/package.json'),
);
interface IoNamespace {
  use(fn: (socket: unknown, next: (err?: Error) => void) => void): void;
  on(event: 'connection', fn: (socket: IoSocket) => void): void;
  to(room: string): { emit(event: string, payload: unknown): void };
}
interface IoSocket {
  on(
    event: string,
    fn: (payload: { clinicIds: string[] }, ack: (result: unknown) => void) => void,
  ): void;
  join(rooms: string[]): Promise<void> | void;
}
interface IoServer {
  of(ns: string): IoNamespace;
  close(cb?: (err?: Error) => void): void;
}
const { Server } = requireFromDashboard('socket.io') as {
  Server: new (http: ReturnType<typeof createServer>, opts: object) => IoServer;
};

const uuid = (prefix: string, n: number) =>
  `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;
const ORG = uuid('9', 0);
const CLINIC = uuid('1', 0);
const USER_ID = uuid('7', 0);
const clinic: Clinic = {
  id: CLINIC,
  organisationId: ORG,
  name: 'Bench Clinic',
  timeZone: 'Europe/London',
  phone: null,
};
const rooms: Room[] = Array.from({ length: SESSIONS }, (_, i) => ({
  id: uuid('a', i),
  clinicId: CLINIC,
  name: `Room ${i + 1}`,
  hasStimulator: true,
  active: true,
}));
const PLAN: SessionPlan = {
  plannedDurationMinutes: 30,
  channels: [
    {
      channel: 1,
      muscle: 'upper_trapezius',
      side: 'left',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 12,
    },
    {
      channel: 2,
      muscle: 'upper_trapezius',
      side: 'right',
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
      muscle: 'levator_scapulae',
      side: 'right',
      waveform: 'biphasic_symmetric',
      frequencyHz: 4,
      pulseWidthUs: 250,
      intensityCeilingMa: 10,
    },
  ],
};

/** A session's state, advanced by `next()` as the worker's coalesced updates would be. */
class FakeSession {
  seq = 1;
  updateSeq = 1;
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
      sessionId: uuid('b', this.i),
      clinicId: CLINIC,
      roomId: rooms[this.i]!.id,
      roomName: rooms[this.i]!.name,
      deviceId: uuid('c', this.i),
      appointmentId: uuid('d', this.i),
      patientInitials:
        String.fromCharCode(65 + (this.i % 26)) + String.fromCharCode(65 + ((this.i * 7) % 26)),
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
      openAlerts: [],
      updateEpoch: 1,
      updateSeq: this.updateSeq,
    };
  }
}

interface FakeApi {
  url: string;
  /** Starts (true) or stops (false) the 4 updates/s per session. */
  stream(on: boolean): void;
  emitted(): number;
  close(): Promise<void>;
}

async function startFakeApi(): Promise<FakeApi> {
  const sessions = Array.from({ length: SESSIONS }, (_, i) => new FakeSession(i));
  const login: LoginResponse = {
    accessToken: 'bench-token',
    expiresIn: 3600,
    user: {
      id: USER_ID,
      email: 'bench@tautline.test',
      name: 'Bench Supervisor',
      role: 'supervisor',
      organisationId: ORG,
      clinicIds: [CLINIC],
    },
  };
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    });
    res.end(JSON.stringify(body));
  };
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
    if (req.method === 'GET' && url === '/api/v1/alerts') return answer(res, 200, []);
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
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        http.closeAllConnections();
        io.close(() => resolve());
      }),
  };
}

// The page-side probes, as a string so this file needs no DOM globals at run time.
const PROBES = `(() => {
  const b = { frames: 0, longTasks: [], running: true };
  const loop = () => { b.frames++; if (b.running) requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  window.__bench = b;
})()`;

interface Phase {
  phase: string;
  updatesPerSecond: number;
  seconds: number;
  fps: number;
  taskMsPerSecond: number;
  scriptMsPerSecond: number;
  layoutMsPerSecond: number;
  busyPct: number;
  longTasks: number;
  longTaskMsTotal: number;
  longTaskMaxMs: number;
  updatesEmitted: number;
}

async function measure(
  page: Page,
  cdp: Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>,
  api: FakeApi,
  phase: string,
  ups: number,
): Promise<Phase> {
  const metrics = async () =>
    Object.fromEntries(
      (
        (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
      ).metrics.map((m) => [m.name, m.value]),
    );
  await page.evaluate('window.__bench.frames = 0; window.__bench.longTasks = []');
  const before = await metrics();
  const emittedBefore = api.emitted();
  const started = Date.now();
  await new Promise((r) => setTimeout(r, MEASURE_SECONDS * 1000));
  const after = await metrics();
  const seconds = (Date.now() - started) / 1000;
  const probe = (await page.evaluate(
    '({ frames: window.__bench.frames, longTasks: window.__bench.longTasks })',
  )) as { frames: number; longTasks: number[] };
  const delta = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
  const layout = delta('LayoutDuration') + delta('RecalcStyleDuration');
  return {
    phase,
    updatesPerSecond: ups,
    seconds,
    fps: probe.frames / seconds,
    taskMsPerSecond: delta('TaskDuration') / seconds,
    scriptMsPerSecond: delta('ScriptDuration') / seconds,
    layoutMsPerSecond: layout / seconds,
    busyPct: delta('TaskDuration') / seconds / 10,
    longTasks: probe.longTasks.length,
    longTaskMsTotal: probe.longTasks.reduce((s, x) => s + x, 0),
    longTaskMaxMs: Math.max(0, ...probe.longTasks),
    updatesEmitted: api.emitted() - emittedBefore,
  };
}

export async function liveBoardBench(): Promise<void> {
  heading(
    `live board: ${SESSIONS} running sessions × ${UPDATES_PER_SECOND} updates/s, headless Chromium`,
  );
  const api = await startFakeApi();
  const dashboard = await startDashboard(api.url);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`${dashboard.url}/#/board`);
    await page.getByLabel('Email').fill('bench@tautline.test');
    await page.getByLabel('Password').fill('bench');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    await page
      .locator('[data-session]')
      .nth(SESSIONS - 1)
      .waitFor({ state: 'attached', timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate(PROBES);

    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const idle = await measure(page, cdp, api, 'board idle (baseline)', 0);
    api.stream(true);
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const loaded = await measure(page, cdp, api, 'board live', SESSIONS * UPDATES_PER_SECOND);
    const screenshot = await saveScreenshot(page, 'live-board-bench');
    api.stream(false);
    // The page kept up: the last update it shows is recent.
    const tiles = await page.locator('[data-session]').count();

    const rows = [idle, loaded];
    console.log(
      table([
        [
          'phase',
          'updates/s',
          'fps',
          'task ms/s',
          'script ms/s',
          'style+layout ms/s',
          'busy',
          'long tasks',
          'long-task ms',
          'max long task',
        ],
        ...rows.map((r) => [
          r.phase,
          Math.round(r.updatesEmitted / r.seconds),
          ms(r.fps),
          ms(r.taskMsPerSecond),
          ms(r.scriptMsPerSecond),
          ms(r.layoutMsPerSecond),
          `${ms(r.busyPct)}%`,
          r.longTasks,
          ms(r.longTaskMsTotal, 0),
          ms(r.longTaskMaxMs, 0),
        ]),
      ]),
    );
    console.log(
      `tiles on the board: ${tiles}; console errors: ${errors.length}; screenshot: ${screenshot}`,
    );
    const file = writeResults('live-board', {
      sessions: SESSIONS,
      updatesPerSessionPerSecond: UPDATES_PER_SECOND,
      measureSeconds: MEASURE_SECONDS,
      viewport: '1440×900',
      baseline: idle,
      live: loaded,
      tiles,
      consoleErrors: errors,
    });
    console.log(`results: ${file}`);
  } finally {
    api.stream(false);
    await browser.close().catch(() => undefined);
    await dashboard.close().catch(() => undefined);
    await api.close().catch(() => undefined);
  }
}
