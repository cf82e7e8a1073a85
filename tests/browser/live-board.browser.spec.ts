import { simulateTreatment, type TelemetrySample } from '@tautline/domain';
import { type Browser, type BrowserContext } from 'playwright-core';
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

// The live board against the real API, worker, PostgreSQL and Redis, in headless Chromium: a supervisor
// watches a running session, a test device streams telemetry and injects an over-intensity fault.
const DEMO_PASSWORD = 'tautline-demo-2026';
const STEP_TIMEOUT_MS = 60_000;

describe('supervisor live board in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let session: RunningSession;
  let seq = 1;

  /** `seconds` of the domain's realistic trace, ending now. */
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
    stack = await startStack('browser-board', { env: { LIVE_UPDATE_INTERVAL_MS: '250' } });
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

  it(
    'shows the running session live; an over-intensity spike that clears before acknowledgement stays latched and is acknowledged afterwards',
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
      await page.getByRole('heading', { name: 'Live board', level: 2 }).waitFor();

      // A device streaming in real time: a batch every 500 ms in the background.
      let streaming = true;
      const stream = (async () => {
        while (streaming) {
          await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5));
          await new Promise((r) => setTimeout(r, 500));
        }
      })();

      const tile = page.locator(`[data-session="${session.sessionId}"]`);
      await tile.waitFor();
      expect(await tile.getByTestId('board-initials').textContent()).toBe('OM');
      expect(await tile.getByTestId('board-status').textContent()).toBe('Running');
      const intensity = tile.getByTestId('board-intensity').first();
      await page.waitForFunction(
        (id) =>
          /^\d+\.\d \/ 12\.0 mA$/.test(
            document.querySelector(`[data-session="${id}"] [data-testid="board-intensity"]`)
              ?.textContent ?? '',
          ),
        session.sessionId,
      );
      expect(await intensity.textContent()).toMatch(/^\d+\.\d \/ 12\.0 mA$/);
      await page.waitForFunction(
        (id) =>
          /Signal \d s ago/.test(
            document.querySelector(`[data-session="${id}"] [data-testid="board-freshness"]`)
              ?.textContent ?? '',
          ),
        session.sessionId,
      );
      await page.waitForTimeout(2500); // let the chart gather a few seconds
      await saveScreenshot(page, 'live-board-running');

      // The fault: channel 1 at 15 mA, above its 12 mA ceiling, for under a second; then the
      // device streams normally again, before anyone acknowledged.
      streaming = false;
      await stream;
      const spike = trace(1);
      spike.forEach((s, i) => i >= 3 && (s.channels[0]!.intensityMa = 15));
      expect((await sendTelemetry(stack!.apiUrl, session.deviceKey, spike)).status).toBe(202);

      const headline = 'Ch 1 left upper trapezius 15 mA > ceiling 12 mA';
      const item = page.getByTestId('board-alert').filter({ hasText: headline });
      await item.waitFor();
      expect(await item.getAttribute('data-status')).toBe('open');
      expect(await item.getAttribute('data-severity')).toBe('critical');
      expect(await item.getByTestId('board-alert-where').textContent()).toMatch(
        /^London Bridge · Treatment room \d+ · OM$/,
      );
      expect(await page.getByTestId('board-announcer').textContent()).toBe(
        `Critical alert: ${headline}`,
      );
      expect(await tile.getAttribute('data-attention')).toBe('0');
      await saveScreenshot(page, 'live-board-alert');

      streaming = true;
      const normal = (async () => {
        while (streaming) {
          await sendTelemetry(stack!.apiUrl, session.deviceKey, trace(0.5));
          await new Promise((r) => setTimeout(r, 500));
        }
      })();
      // The condition clears (after the hysteresis): nobody acknowledged, so the alert latches and
      // stays on the board, sounding, instead of resolving.
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid="board-alert"][data-severity="critical"]')
            ?.getAttribute('data-status') === 'latched',
        undefined,
        { timeout: 20_000 },
      );
      expect(await item.getByTestId('board-alert-status').textContent()).toBe(
        'Cleared — not acknowledged',
      );
      expect(await tile.getByTestId('board-tile-alarm').textContent()).toContain(
        `${headline} — cleared, not acknowledged`,
      );
      expect(await tile.getAttribute('data-attention')).toBe('0');
      expect(await page.getByTestId('board-audio').getAttribute('data-tone')).toBe('high');
      await saveScreenshot(page, 'live-board-latched');

      // Keyboard acknowledge afterwards: focus the button, Enter, type the note, Enter.
      await item.getByRole('button', { name: /^Acknowledge/ }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type('Turned channel 1 down, patient fine');
      await page.keyboard.press('Enter');
      const ack = item.getByTestId('board-ack');
      await ack.waitFor();
      expect(await ack.textContent()).toMatch(
        /^Acknowledged by Dr Sofia Supervisor at \d\d:\d\d:\d\d — “Turned channel 1 down, patient fine”$/,
      );
      expect(await item.getAttribute('data-status')).toBe('resolved');
      const stored = (await stack!.db.dataSource.query(
        `SELECT status, acknowledgement_note, cleared_at IS NOT NULL AS cleared FROM alerts
         WHERE session_id = $1 AND kind = 'intensity_over_ceiling'`,
        [session.sessionId],
      )) as { status: string; acknowledgement_note: string; cleared: boolean }[];
      expect(stored).toEqual([
        {
          status: 'resolved',
          acknowledgement_note: 'Turned channel 1 down, patient fine',
          cleared: true,
        },
      ]);
      await page.waitForFunction(
        (id) =>
          document.querySelector(`[data-session="${id}"]`)?.getAttribute('data-attention') === '3',
        session.sessionId,
      );
      streaming = false;
      await normal;

      // The device goes quiet: the tile says the signal is stale.
      await page.waitForFunction(
        (id) =>
          /Signal stale/.test(
            document.querySelector(`[data-session="${id}"] [data-testid="board-freshness"]`)
              ?.textContent ?? '',
          ),
        session.sessionId,
        { timeout: 10_000 },
      );
      await saveScreenshot(page, 'live-board-acknowledged');

      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );
});
