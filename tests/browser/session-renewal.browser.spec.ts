import { simulateTreatment, type TelemetrySample } from '@tautline/domain';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type ApiClient, signIn as apiSignIn } from '../support/booking-client';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import {
  type RunningSession,
  sendTelemetry,
  startRunningSession,
  TEST_PLAN,
} from '../support/estim-visit';
import { startStack, type Stack } from '../support/stack';

// Never a silent sign-out: the built api + worker with 8 s access tokens, a supervisor's live board in
// headless Chromium. Across several expiries the board stays live on one socket and still gets events;
// when the sign-in session is revoked a password dialog opens over the board, which keeps its data.
const DEMO_PASSWORD = 'tautline-demo-2026';
const TTL_S = 8;
const STEP_TIMEOUT_MS = 60_000;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

describe('sign-in renewal on a live board in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let session: RunningSession;
  let seq = 1;

  const trace = (seconds: number): TelemetrySample[] => {
    const samples = simulateTreatment({
      plan: TEST_PLAN,
      hz: 10,
      durationSeconds: seconds,
      seed: seq,
      startAt: new Date(Date.now() - seconds * 1000).toISOString(),
      startSeq: seq,
    }).map((s) => s.sample);
    seq = (samples[samples.length - 1]?.seq ?? seq) + 1;
    return samples;
  };

  beforeAll(async () => {
    stack = await startStack('browser-renewal', {
      env: { JWT_TTL_SECONDS: String(TTL_S), LIVE_UPDATE_INTERVAL_MS: '250' },
    });
    dashboard = await startDashboard(stack.apiUrl);
    browser = await launchChromium();
    const clients: { admin: ApiClient; scheduler: ApiClient; clinician: ApiClient } = {
      admin: await apiSignIn(stack.apiUrl, 'admin@tautline.test'),
      scheduler: await apiSignIn(stack.apiUrl, 'scheduler@tautline.test'),
      clinician: await apiSignIn(stack.apiUrl, 'supervisor@tautline.test'),
    };
    const q = async (sql: string, v: string) =>
      ((await stack!.db.dataSource.query(sql, [v])) as { id: string }[])[0]!.id;
    session = await startRunningSession(clients, {
      clinicId: stack.demo.clinicIds['london-bridge']!,
      patientId: await q(`SELECT id FROM patients WHERE given_name = $1`, 'Olivia'),
      practitionerId: await q(`SELECT id FROM practitioners WHERE name = $1`, 'Eleanor Whitcombe'),
      estimTypeId: await q(
        `SELECT id FROM appointment_types WHERE name = $1`,
        'Dry needling + e-stim 45 min',
      ),
    });
  }, 180_000);

  afterAll(async () => {
    const steps = [
      () => context?.close(),
      () => browser?.close(),
      () => dashboard?.close(),
      () => stack?.stop(),
    ];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  const shoot = async (page: Page, name: string) => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      await saveScreenshot(page, `${name}-${size.width}x${size.height}`);
    }
  };

  it(
    'renews across expiries on one socket, still receiving events; a revoked session asks for the password over the board',
    async () => {
      context = await browser!.newContext({ viewport: SIZES[0] });
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      const page = await context.newPage();
      const consoleErrors = collectConsoleErrors(page);
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      const refreshes: number[] = [];
      page.on('response', (res) => {
        if (res.url().endsWith('/api/v1/auth/refresh')) refreshes.push(res.status());
      });

      await page.goto(`${dashboard!.url}/#/board`);
      await page.getByLabel('Email').fill('supervisor@tautline.test');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const live = page.locator('[data-testid="live-status"][data-state="connected"]');
      await live.waitFor();
      const tile = page.locator(`[data-session="${session.sessionId}"]`);
      await tile.waitFor();
      const signedInAt = Date.now();

      // The device streams throughout, so the session stays fresh on the board.
      let streaming = true;
      const stream = (async () => {
        while (streaming) {
          await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5));
          await new Promise((r) => setTimeout(r, 500));
        }
      })();

      // Three access-token lifetimes: each token renewed before it ended, the socket kept.
      await page.waitForTimeout(3 * TTL_S * 1000 + 2_000 - (Date.now() - signedInAt));
      expect(await live.count()).toBe(1);
      expect(await tile.isVisible()).toBe(true);
      expect(refreshes.length).toBeGreaterThanOrEqual(3);
      expect(refreshes.every((s) => s === 200)).toBe(true);
      expect(sockets).toHaveLength(1);
      expect(await page.getByRole('dialog').count()).toBe(0);

      // An event raised long after the first token ended still reaches the board: an alarm.
      streaming = false;
      await stream;
      const spike = trace(1);
      spike.forEach((s, i) => i >= 3 && (s.channels[0]!.intensityMa = 15));
      expect((await sendTelemetry(stack!.apiUrl, session.deviceKey, spike)).status).toBe(202);
      const alarm = page.getByTestId('board-alert').filter({ hasText: '15 mA' });
      await alarm.first().waitFor();
      await page.waitForFunction(
        (id) =>
          document.querySelector(`[data-session="${id}"] [data-testid="board-intensity"]`)
            ?.textContent === '15.0 / 12.0 mA',
        session.sessionId,
      );
      await saveScreenshot(page, 'session-renewal-board-after-expiries');

      // The sign-in session is revoked server-side: the next renewal is refused, and a dialog asks
      // for the password over the board, which keeps its tile, its alarm and its live socket.
      const userId = (
        (await stack!.db.dataSource.query(`SELECT id FROM users WHERE email = $1`, [
          'supervisor@tautline.test',
        ])) as { id: string }[]
      )[0]!.id;
      await stack!.db.dataSource.query(
        `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = 'logout'
          WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId],
      );
      const dialog = page.getByRole('dialog', { name: 'Sign in again to continue' });
      await dialog.waitFor({ timeout: 2 * TTL_S * 1000 });
      expect(await tile.isVisible()).toBe(true);
      expect(await alarm.first().isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: 'Sign in to Tautline' }).count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('id') ?? null)).toBe(
        'reauth-password',
      );
      await shoot(page, 'session-renewal-dialog');

      // The password again: the dialog closes, the same board carries on, on the same socket.
      await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.waitFor({ state: 'detached' });
      await live.waitFor();
      expect(await tile.isVisible()).toBe(true);

      // Ten minutes before the absolute end (brought forward here), a banner says when it ends.
      await stack!.db.dataSource.query(
        `UPDATE auth_sessions SET absolute_expires_at = now() + interval '9 minutes',
                                  idle_expires_at = least(idle_expires_at, now() + interval '9 minutes')
          WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId],
      );
      const banner = page.getByRole('status').filter({ hasText: 'Your sign-in ends at' });
      await banner.waitFor({ timeout: 2 * TTL_S * 1000 });
      expect(await banner.textContent()).toMatch(
        /^Your sign-in ends at \d\d:\d\d — sign in again to continue\.Sign in again$/,
      );
      expect(await live.count()).toBe(1);
      await page.setViewportSize(SIZES[0]!);
      await shoot(page, 'session-renewal-banner');
      // One socket throughout the renewals; the only reconnect is after the password dialog (the
      // server drops a socket whose token ran out while nobody could renew it).
      expect(sockets.length).toBeLessThanOrEqual(2);

      // The only errors are the refused refreshes (the browser logs every 401 it receives).
      expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );
});
