// Benchmark (not a test): the supervisor live board (issue 6, item 3; issue 11) with 200 running sessions
// updating 4 times a second each, in headless Chromium, against the same page idle (0 updates/s) in
// the same run; then, with the 200 sessions still updating, bursts of `alert.raised` (50, then 100,
// then 200 within one second, two critical for one warning, each for a different session) on a fresh
// board each, until p95 passes 1 s or the frame rate drops below 30 fps.
// The built dashboard is served by Vite preview (tests/support/dashboard-server.ts), proxying to a small
// HTTP + socket.io server in this process (support/live-board-api.ts) that answers the few REST calls
// the board makes and plays the worker on the `/live` namespace. Measured per phase: frames per second
// (a rAF counter in the page), main-thread busy time (CDP Performance.getMetrics TaskDuration /
// ScriptDuration deltas), long tasks (PerformanceObserver 'longtask'); per burst alert, the time from
// the emit to the tile's `data-attention` and the tray's `[data-alert]` item changing in the DOM and
// to the next animation frame (support/alarm-burst.ts).
// Run: `npx tsx bench/run.ts live-board` in tests/ (after a build).
import { type Browser, type Page } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS_DIR, collectConsoleErrors, launchChromium } from '../support/browser';
import { startDashboard } from '../support/dashboard-server';
import {
  BURST_PROBES,
  burstLatency,
  expectBurst,
  waitForBurstPainted,
  type BurstLatency,
} from './support/alarm-burst';
import {
  burstAlerts,
  type FakeApi,
  SESSIONS,
  startFakeApi,
  UPDATES_PER_SECOND,
} from './support/live-board-api';
import { heading, ms, table, writeResults } from './support/report';

const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
/** The ramp (`BENCH_BURSTS=50,100,200`). */
const BURSTS = (process.env.BENCH_BURSTS ?? '50,100,200').split(',').map(Number);
const BURST_MS = 1000;
/** A burst step whose p95 (emit → painted) passes this, or whose frame rate drops below 30, ends the ramp. */
const P95_LIMIT_MS = 1000;
const MIN_FPS = 30;
const VIEWPORT = { width: 1440, height: 900 };

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

type Cdp = Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>;

/** Runs `during` (by default: waits MEASURE_SECONDS) and measures the page meanwhile. */
async function measure(
  page: Page,
  cdp: Cdp,
  api: FakeApi,
  phase: string,
  ups: number,
  during: () => Promise<void> = () => new Promise((r) => setTimeout(r, MEASURE_SECONDS * 1000)),
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
  await during();
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

/** The viewport only: a full page of 200 tiles is a picture nobody opens. */
async function viewportShot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A fresh board in its own browser context: signed in, every tile attached, probes installed. */
async function openBoard(browser: Browser, dashboardUrl: string) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await page.goto(`${dashboardUrl}/#/board`);
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
  await page.evaluate(BURST_PROBES);
  return { context, page, cdp, errors };
}

interface BurstStep {
  alerts: number;
  phase: Phase;
  latency: BurstLatency;
}

/** One burst on a fresh board (the sessions streaming unless `idle`): fps during it and per-alert latency. */
async function burstStep(
  browser: Browser,
  dashboardUrl: string,
  api: FakeApi,
  step: number,
  count: number,
  idle = false,
): Promise<BurstStep & { errors: string[] }> {
  api.clearAlerts();
  const board = await openBoard(browser, dashboardUrl);
  try {
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const alerts = burstAlerts(step, count);
    await expectBurst(
      board.page,
      alerts.map((a) => ({ alertId: a.alert.id, sessionId: a.sessionId, rank: a.rank })),
    );
    let emittedAt = new Map<string, number>();
    const phase = await measure(
      board.page,
      board.cdp,
      api,
      `burst of ${count} alert.raised in ${BURST_MS / 1000} s${idle ? ' (no updates)' : ''}`,
      idle ? 0 : SESSIONS * UPDATES_PER_SECOND,
      async () => {
        emittedAt = await api.burst(alerts, BURST_MS);
        await waitForBurstPainted(board.page, 15_000);
      },
    );
    const latency = await burstLatency(board.page, emittedAt);
    if (step === 0) await viewportShot(board.page, 'live-board-bench-burst');
    return { alerts: count, phase, latency, errors: board.errors };
  } finally {
    await board.context.close();
  }
}

export async function liveBoardBench(): Promise<void> {
  heading(
    `live board: ${SESSIONS} running sessions × ${UPDATES_PER_SECOND} updates/s, alarm bursts, headless Chromium`,
  );
  const api = await startFakeApi();
  const dashboard = await startDashboard(api.url);
  const browser = await launchChromium();
  try {
    const board = await openBoard(browser, dashboard.url);
    const { page, cdp, errors } = board;

    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const idle = await measure(page, cdp, api, 'board idle (baseline)', 0);
    api.stream(true);
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const loaded = await measure(page, cdp, api, 'board live', SESSIONS * UPDATES_PER_SECOND);
    const screenshot = await viewportShot(page, 'live-board-bench');
    const tiles = await page.locator('[data-session]').count();
    await board.context.close();

    // The first burst on a board that gets no updates, to tell the burst's own cost from the load's.
    api.stream(false);
    const quiet = await burstStep(browser, dashboard.url, api, 99, BURSTS[0]!, true);
    api.stream(true);
    // The ramp, the sessions streaming: a fresh board per step, so every alert is new to it.
    const steps: (BurstStep & { errors: string[] })[] = [quiet];
    for (const [step, count] of BURSTS.entries()) {
      const result = await burstStep(browser, dashboard.url, api, step, count);
      steps.push(result);
      const p95 = Math.max(result.latency.tilePaint.p95, result.latency.trayPaint.p95);
      const missing = result.latency.missingTile + result.latency.missingTray;
      if (p95 > P95_LIMIT_MS || result.phase.fps < MIN_FPS || missing > 0) break;
    }
    api.stream(false);

    const rows = [idle, loaded, ...steps.map((s) => s.phase)];
    const ramp = steps.slice(1);
    const last = ramp[ramp.length - 1];
    const label = (s: BurstStep) =>
      `${s.alerts} in ${BURST_MS / 1000} s${s === quiet ? ' (no updates)' : ''}`;
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
    console.log('\nalert.raised emit → board (ms; "dom": the mutation, "paint": the next frame)');
    console.log(
      table([
        ['burst', 'where', 'p50 dom', 'p95 dom', 'p50 paint', 'p95 paint', 'max paint', 'missing'],
        ...steps.flatMap((s) => [
          [
            label(s),
            'tile',
            ms(s.latency.tileDom.p50),
            ms(s.latency.tileDom.p95),
            ms(s.latency.tilePaint.p50),
            ms(s.latency.tilePaint.p95),
            ms(s.latency.tilePaint.max),
            s.latency.missingTile,
          ],
          [
            label(s),
            'tray',
            ms(s.latency.trayDom.p50),
            ms(s.latency.trayDom.p95),
            ms(s.latency.trayPaint.p50),
            ms(s.latency.trayPaint.p95),
            ms(s.latency.trayPaint.max),
            s.latency.missingTray,
          ],
        ]),
      ]),
    );
    if (last) {
      const p95 = Math.max(last.latency.tilePaint.p95, last.latency.trayPaint.p95);
      const why =
        p95 > P95_LIMIT_MS
          ? `p95 ${ms(p95, 0)} ms > ${P95_LIMIT_MS} ms`
          : last.phase.fps < MIN_FPS
            ? `${ms(last.phase.fps)} fps < ${MIN_FPS}`
            : last.latency.missingTile + last.latency.missingTray > 0
              ? 'alerts not shown within 15 s'
              : 'the largest burst kept within the limits';
      console.log(`ramp ended at ${last.alerts} alerts in ${BURST_MS / 1000} s: ${why}`);
    }
    const consoleErrors = [...errors, ...steps.flatMap((s) => s.errors)];
    console.log(
      `tiles on the board: ${tiles}; console errors: ${consoleErrors.length}; clock skew (page − Date.now): ${ms(steps[0]?.latency.clockSkewMs ?? NaN, 2)} ms; screenshot: ${screenshot}`,
    );
    const file = writeResults('live-board', {
      sessions: SESSIONS,
      updatesPerSessionPerSecond: UPDATES_PER_SECOND,
      measureSeconds: MEASURE_SECONDS,
      viewport: `${VIEWPORT.width}×${VIEWPORT.height}`,
      baseline: idle,
      live: loaded,
      bursts: steps.map(({ alerts, phase, latency }, i) => ({
        streaming: i > 0,
        alerts,
        overMs: BURST_MS,
        phase,
        latency,
      })),
      burstLimits: { p95Ms: P95_LIMIT_MS, minFps: MIN_FPS },
      tiles,
      consoleErrors,
    });
    console.log(`results: ${file}`);
  } finally {
    api.stream(false);
    await browser.close().catch(() => undefined);
    await dashboard.close().catch(() => undefined);
    await api.close().catch(() => undefined);
  }
}
