import { simulateTreatment, type TelemetrySample } from '@tautline/domain';
import { createRedisConnection, startThrowawayRedis, type ThrowawayRedis } from '@tautline/queues';
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

// Redis loses everything (FLUSHALL on a Redis of this test's own) while a supervisor watches a running
// session: `updateSeq` starts again at 1, under a new epoch, and the open board keeps updating, unreloaded.
const DEMO_PASSWORD = 'tautline-demo-2026';
const STEP_TIMEOUT_MS = 60_000;

describe('live board after Redis lost its data, in a real browser', () => {
  let redis: ThrowawayRedis | undefined;
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let session: RunningSession;
  let seq = 1;

  /** `seconds` of the domain's realistic trace ending now, channel 1 held at `ma` when given. */
  const trace = (seconds: number, ma?: number): TelemetrySample[] => {
    const samples = simulateTreatment({
      plan: TEST_PLAN,
      hz: 10,
      durationSeconds: seconds,
      seed: seq,
      startAt: new Date(Date.now() - seconds * 1000).toISOString(),
      startSeq: seq,
    }).map((s) => s.sample);
    seq = (samples[samples.length - 1]?.seq ?? seq) + 1;
    if (ma !== undefined) samples.forEach((s) => (s.channels[0]!.intensityMa = ma));
    return samples;
  };

  const tileShows = (page: Page, text: string) =>
    page.waitForFunction(
      ([id, want]) =>
        document.querySelector(`[data-session="${id}"] [data-testid="board-intensity"]`)
          ?.textContent === want,
      [session.sessionId, text] as const,
      { timeout: 5_000 },
    );

  beforeAll(async () => {
    redis = await startThrowawayRedis('noeviction');
    stack = await startStack('browser-redis-loss', {
      redisUrl: redis.url,
      env: { LIVE_UPDATE_INTERVAL_MS: '250' },
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
      () => redis?.stop(),
    ];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  it(
    'keeps the tile updating without a reload when updateSeq starts again after FLUSHALL',
    async () => {
      context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      const page = await context.newPage();
      const consoleErrors = collectConsoleErrors(page);
      await page.goto(`${dashboard!.url}/#/board`);
      await page.getByLabel('Email').fill('supervisor@tautline.test');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
      await page.locator(`[data-session="${session.sessionId}"]`).waitFor();

      // Four seconds of streaming (channel 1 held steady, so no alert): the board holds an updateSeq well above 1.
      for (let i = 0; i < 8; i++) {
        expect((await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5, 6))).status).toBe(
          202,
        );
        await new Promise((r) => setTimeout(r, 500));
      }
      expect((await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5, 6.6))).status).toBe(
        202,
      );
      await tileShows(page, '6.6 / 12.0 mA');

      const client = createRedisConnection(redis!.url);
      try {
        await client.flushall();
        expect(await client.dbsize()).toBe(0);
      } finally {
        client.disconnect();
      }

      // The first updates after the loss count from 1 again; the board takes them at once.
      expect((await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5, 7.7))).status).toBe(
        202,
      );
      await tileShows(page, '7.7 / 12.0 mA');
      await new Promise((r) => setTimeout(r, 500));
      expect((await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5, 8.8))).status).toBe(
        202,
      );
      await tileShows(page, '8.8 / 12.0 mA');
      expect(await page.locator('[data-testid="live-status"]').getAttribute('data-state')).toBe(
        'connected',
      );
      await saveScreenshot(page, 'live-board-after-redis-loss');
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );
});
