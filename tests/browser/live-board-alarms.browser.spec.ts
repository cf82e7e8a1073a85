import { type Alert, type LiveSession, type Role, type Room } from '@tautline/domain';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import {
  ARTIFACTS_DIR,
  collectConsoleErrors,
  launchChromium,
  saveScreenshot,
} from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import {
  fakeAlert,
  fakeClinic,
  fakeId,
  fakeRooms,
  fakeSession,
  startFakeBoardApi,
  type FakeBoardApi,
} from '../support/fake-board-api';

// The live board's layout and alarm handling in headless Chromium, against a stand-in API
// (tests/support/fake-board-api.ts) so a test can hold a dozen rooms and play alarm events exactly.
// The whole-system path (telemetry → worker → latched alert) is in live-board.browser.spec.ts.

const STEP_TIMEOUT_MS = 30_000;
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const north = fakeClinic(1, 'North Clinic');
const south = fakeClinic(2, 'South Clinic');
const northRooms = fakeRooms(north, 16);
const southRooms = fakeRooms(south, 4);

interface Board {
  api: FakeBoardApi;
  dashboard: DashboardServer;
  page: Page;
  consoleErrors: string[];
}

describe('live board alarms and layout in a real browser', () => {
  let browser: Browser | undefined;
  const open: Board[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    for (const board of open.splice(0)) {
      await board.page
        .context()
        .close()
        .catch(() => undefined);
      await board.dashboard.close().catch(() => undefined);
      await board.api.close().catch(() => undefined);
    }
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function openBoard(
    setup: { role: Role; rooms: Room[]; sessions: LiveSession[]; alerts?: Alert[] },
    viewport: { width: number; height: number },
    options: { fakeClock?: boolean; stream?: boolean } = {},
  ): Promise<Board> {
    const clinics = [...new Set(setup.rooms.map((r) => r.clinicId))].map((id) =>
      id === north.id ? north : south,
    );
    const api = await startFakeBoardApi({ ...setup, clinics });
    const dashboard = await startDashboard(api.url);
    const context = await browser!.newContext({ viewport });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const board = { api, dashboard, page, consoleErrors: collectConsoleErrors(page) };
    open.push(board);
    if (options.fakeClock) await page.clock.install();
    await page.goto(`${dashboard.url}/#/board`);
    await page.getByLabel('Email').fill(`${setup.role}@tautline.test`);
    await page.getByLabel('Password').fill('any');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Live board', level: 2 }).waitFor();
    await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    await page.locator('[data-session]').first().waitFor();
    if (options.stream) api.stream(true);
    return board;
  }

  /** Tiles entirely inside the viewport with the page not scrolled, by status. */
  const visibleTiles = (page: Page) =>
    page.evaluate(() => {
      window.scrollTo(0, 0);
      const tiles = Array.from(document.querySelectorAll<HTMLElement>('[data-session]'));
      return tiles
        .filter((t) => {
          const r = t.getBoundingClientRect();
          return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
        })
        .map((t) => t.querySelector('[data-testid="board-status"]')?.textContent ?? '');
    });

  const axeSeriousViolations = async (page: Page) => {
    // Evaluated through the DevTools protocol: the dashboard's CSP (rightly) refuses inline scripts.
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<unknown> } }
      ).axe;
      const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    })) as { id: string; impact: string; targets: string[] }[];
    return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  };

  /** 14 sessions in North (an alarm of each priority, one paused, one ready) and 2 in South. */
  function busyClinics() {
    const sessions = northRooms.slice(0, 14).map((room, i) =>
      fakeSession(room, i + 1, {
        ...(i === 2 ? { status: 'paused' as const, runningSince: null, runningSeconds: 600 } : {}),
        ...(i === 6 ? { status: 'ready' as const, runningSince: null, startedAt: null } : {}),
      }),
    );
    sessions.push(fakeSession(southRooms[0]!, 21), fakeSession(southRooms[1]!, 22));
    const at = (room: number) => sessions[room - 1]!;
    const alerts: Alert[] = [
      fakeAlert(at(5), 1, { clinicName: north.name }),
      fakeAlert(at(9), 2, {
        clinicName: north.name,
        kind: 'intensity_jump',
        severity: 'warning',
        value: 5,
        limit: 4,
      }),
      fakeAlert(at(12), 3, {
        clinicName: north.name,
        kind: 'impedance_out_of_range',
        severity: 'technical',
        channel: 2,
        muscle: 'upper_trapezius',
        side: 'left',
        value: 15_000,
        limit: 10_000,
      }),
      fakeAlert(at(2), 4, {
        clinicName: north.name,
        status: 'acknowledged',
        acknowledgedAt: new Date().toISOString(),
        acknowledgedBy: fakeId('7', 1),
        acknowledgedByName: 'Dr Ravi Colleague',
        acknowledgementNote: 'Turned it down',
      }),
      fakeAlert(at(7), 5, {
        clinicName: north.name,
        kind: 'session_overrun',
        severity: 'warning',
        channel: null,
        muscle: null,
        side: null,
        value: 34,
        limit: 32,
        status: 'acknowledged',
        acknowledgedAt: new Date().toISOString(),
        acknowledgedByName: 'Dr Ravi Colleague',
      }),
      fakeAlert(sessions[14]!, 6, {
        sessionId: null,
        roomId: null,
        roomName: null,
        patientInitials: null,
        clinicId: south.id,
        clinicName: south.name,
        kind: 'monitoring_degraded',
        severity: 'technical',
        channel: null,
        muscle: null,
        side: null,
        value: null,
        limit: null,
      }),
    ];
    return { rooms: [...northRooms, ...southRooms], sessions, alerts };
  }

  it(
    'puts sessions needing attention first, fits ≥12 running tiles at 1920×1080, has strips, idle line and no serious axe violations',
    async () => {
      const { page, api, consoleErrors } = await openBoard(
        { role: 'supervisor', ...busyClinics() },
        { width: 1920, height: 1080 },
        { stream: true },
      );
      await page.locator('[data-alert]').nth(5).waitFor();
      const order = await page.$$eval('[data-session]', (tiles) =>
        tiles.map((t) => `${t.getAttribute('data-room')}:${t.getAttribute('data-attention')}`),
      );
      expect(order.slice(0, 3)).toEqual(['Room 5:0', 'Room 9:1', 'Room 12:2']);
      const ranks = order.map((o) => Number(o.split(':')[1]));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(order.slice(-2)).toEqual(['Room 3:4', 'Room 7:5']);

      const strip = page.locator(`[data-testid="board-strip"][data-clinic="${north.id}"]`);
      expect(await strip.textContent()).toMatch(/12 running.*3 alarming.*0 offline.*Monitoring ok/);
      expect(
        await page
          .locator(`[data-testid="board-strip"][data-clinic="${south.id}"]`)
          .getByTestId('strip-degraded')
          .textContent(),
      ).toBe('Monitoring degraded');
      expect(await page.getByTestId('board-idle').first().textContent()).toBe(
        'Idle · North Clinic (2): Room 15, Room 16',
      );
      const critical = page.locator(`[data-alert="${fakeId('e', 1)}"]`);
      expect(await critical.getAttribute('data-status')).toBe('open');
      expect(await critical.getAttribute('data-severity')).toBe('critical');
      expect(await critical.getByTestId('board-alert-message').textContent()).toBe(
        'Ch 1 right infraspinatus 23.5 mA > ceiling 18 mA',
      );
      expect(await critical.getByTestId('board-alert-where').textContent()).toBe(
        'North Clinic · Room 5 · F.J.',
      );

      await page.waitForTimeout(3000); // the charts gather a few seconds
      await saveScreenshot(page, 'live-board-triage-1920x1080');
      const visible = await visibleTiles(page);
      expect(visible.filter((s) => s === 'Running').length).toBeGreaterThanOrEqual(12);
      expect(await axeSeriousViolations(page)).toEqual([]);

      // An alarm burst: eight more criticals within a second, on sessions across the board.
      const burst = [1, 3, 4, 6, 8, 10, 11, 13].map((room, k) =>
        fakeAlert(
          api.sessions.find((x) => x.roomName === `Room ${room}` && x.clinicId === north.id)!,
          20 + k,
          {
            clinicName: north.name,
            value: 19 + k,
            raisedAt: new Date().toISOString(),
          },
        ),
      );
      for (const a of burst) api.emitAlert('alert.raised', a);
      await page.waitForFunction(
        () => document.querySelectorAll('[data-attention="0"]').length === 9,
      );
      const burstOrder = await page.$$eval('[data-session]', (tiles) =>
        tiles.map((t) => Number(t.getAttribute('data-attention'))),
      );
      expect(burstOrder).toEqual([...burstOrder].sort((a, b) => a - b));
      await saveScreenshot(page, 'live-board-alarm-burst-1920x1080');
      await page
        .locator(`[data-session="${fakeId('b', 5)}"]`)
        .screenshot({ path: path.join(ARTIFACTS_DIR, 'live-board-tile-critical.png') });
      expect(await axeSeriousViolations(page)).toEqual([]);

      // Filter South out: its tiles go, its strip stays.
      await page.getByRole('checkbox', { name: 'Show the tiles of South Clinic' }).uncheck();
      expect(await page.locator('[data-session]').count()).toBe(14);
      expect(
        await page.locator(`[data-testid="board-strip"][data-clinic="${south.id}"]`).count(),
      ).toBe(1);
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    'fits ≥6 running tiles at 1280×800 and takes a tray alert to its tile',
    async () => {
      const { page } = await openBoard(
        { role: 'supervisor', ...busyClinics() },
        { width: 1280, height: 800 },
        { stream: true },
      );
      await page.locator('[data-alert]').nth(5).waitFor();
      await page.waitForTimeout(3000); // the charts gather a few seconds
      await saveScreenshot(page, 'live-board-triage-1280x800');
      const visible = await visibleTiles(page);
      expect(visible.filter((s) => s === 'Running').length).toBeGreaterThanOrEqual(6);

      // Room 7 (ready, last on the board) is below the fold: its alert in the tray brings it up.
      const tile = page.locator(`[data-session="${fakeId('b', 7)}"]`);
      await page
        .locator(`[data-alert="${fakeId('e', 5)}"]`)
        .getByRole('button', { name: 'Overrun 34 min > allowed 32 min' })
        .click();
      await page.waitForFunction(
        (id) => document.activeElement?.getAttribute('data-session') === id,
        fakeId('b', 7),
      );
      expect(await tile.getAttribute('data-located')).toBe('true');
      const box = await tile.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(800);
      expect(await axeSeriousViolations(page)).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    'keeps a critical alert that cleared before acknowledgement latched and sounding, and acknowledges it afterwards',
    async () => {
      const sessions = northRooms.slice(0, 3).map((room, i) => fakeSession(room, i + 1));
      const spike = fakeAlert(sessions[1]!, 1, { clinicName: north.name });
      const { page, api } = await openBoard(
        { role: 'supervisor', rooms: northRooms.slice(0, 3), sessions, alerts: [spike] },
        { width: 1280, height: 800 },
      );
      const item = page.locator(`[data-alert="${spike.id}"]`);
      const tile = page.locator(`[data-session="${spike.sessionId}"]`);
      await item.waitFor();
      expect(await tile.getAttribute('data-attention')).toBe('0');
      await item.getByRole('button', { name: /^Acknowledge/ }).click();
      await page.getByLabel('Note (optional)').fill('Checked the needle');

      // The intensity comes back under the ceiling before anyone confirmed: the worker latches it.
      api.emitAlert('alert.updated', {
        ...spike,
        status: 'latched',
        clearedAt: new Date().toISOString(),
      });
      await page.waitForFunction(
        (id) =>
          document.querySelector(`[data-alert="${id}"]`)?.getAttribute('data-status') === 'latched',
        spike.id,
      );
      expect(await item.getByTestId('board-alert-status').textContent()).toBe(
        'Cleared — not acknowledged',
      );
      expect(await page.getByLabel('Note (optional)').inputValue()).toBe('Checked the needle');
      expect(await tile.getByTestId('board-tile-alarm').textContent()).toContain(
        'Ch 1 right infraspinatus 23.5 mA > ceiling 18 mA — cleared, not acknowledged',
      );
      expect(await tile.getAttribute('data-attention')).toBe('0');
      expect(await page.getByTestId('board-audio').getAttribute('data-tone')).toBe('high');
      await saveScreenshot(page, 'live-board-latched-1280x800');

      await page.getByRole('button', { name: 'Confirm acknowledge' }).click();
      await page.waitForFunction(
        (id) =>
          document.querySelector(`[data-alert="${id}"]`)?.getAttribute('data-status') ===
          'resolved',
        spike.id,
      );
      expect(await item.getByTestId('board-ack').textContent()).toMatch(
        /^Acknowledged by Dr Sofia Supervisor at \d\d:\d\d:\d\d — “Checked the needle”$/,
      );
      expect(api.acknowledgements).toEqual([{ alertId: spike.id, note: 'Checked the needle' }]);
      expect(await page.getByTestId('board-audio').getAttribute('data-tone')).toBe('none');
      await page.waitForFunction(
        (id) =>
          document.querySelector(`[data-session="${id}"]`)?.getAttribute('data-attention') === '3',
        spike.sessionId,
      );
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    'pauses the audio for 2 minutes with a countdown, and sounds again when the pause expires',
    async () => {
      const sessions = northRooms.slice(0, 2).map((room, i) => fakeSession(room, i + 1));
      const { page } = await openBoard(
        {
          role: 'supervisor',
          rooms: northRooms.slice(0, 2),
          sessions,
          alerts: [fakeAlert(sessions[0]!, 1, { clinicName: north.name })],
        },
        { width: 1280, height: 800 },
        { fakeClock: true },
      );
      const audio = page.getByTestId('board-audio');
      await page.locator('[data-testid="board-audio"][data-tone="high"]').waitFor();
      expect(await audio.getAttribute('data-state')).toBe('on');
      expect(await page.getByRole('checkbox', { name: /mute/i }).count()).toBe(0);

      await page.getByRole('button', { name: 'Pause audio 2 min' }).click();
      expect(await audio.getAttribute('data-state')).toBe('paused');
      expect(await page.getByRole('timer').textContent()).toBe('Audio paused 02:00');
      await saveScreenshot(page, 'live-board-audio-paused');

      await page.clock.fastForward(61_000);
      await page.waitForFunction(() =>
        /^Audio paused 00:5\d$/.test(document.querySelector('[role="timer"]')?.textContent ?? ''),
      );
      expect(await audio.getAttribute('data-state')).toBe('paused');

      await page.clock.fastForward(60_000);
      await page.locator('[data-testid="board-audio"][data-state="on"]').waitFor();
      expect(await audio.getAttribute('data-tone')).toBe('high');
      expect(await page.getByRole('button', { name: 'Pause audio 2 min' }).isVisible()).toBe(true);
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    'shows a scheduler the alerts without any acknowledge control',
    async () => {
      const { page } = await openBoard(
        { role: 'scheduler', ...busyClinics() },
        { width: 1920, height: 1080 },
      );
      await page.locator('[data-alert]').nth(5).waitFor();
      expect(await page.getByTestId('board-readonly').textContent()).toBe(
        'View only: your role cannot acknowledge alerts.',
      );
      expect(await page.getByRole('button', { name: /^(Acknowledge|Dismiss)/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^(Start|Pause|Resume|Stop)$/ }).count()).toBe(
        0,
      );
      await saveScreenshot(page, 'live-board-scheduler-1920x1080');
    },
    STEP_TIMEOUT_MS * 3,
  );
});
