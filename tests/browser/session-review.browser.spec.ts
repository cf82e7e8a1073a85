import { simulateTreatment } from '@tautline/domain';
import { type Browser, type BrowserContext } from 'playwright-core';
import { type ApiClient, eventually, signIn } from '../support/booking-client';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import {
  type RunningSession,
  sendTelemetry,
  startRunningSession,
  TEST_PLAN,
} from '../support/estim-visit';
import { startStack, type Stack } from '../support/stack';

// A supervisor reviews a finished e-stim session: real API, worker, PostgreSQL and Redis behind the
// built dashboard, driven by headless Chromium. The session runs through the API as a clinic's
// would (checked-in appointment, stimulator, plan), gets a short realistic trace from its device,
// and is stopped with an adverse-event record; the summary is the one the API stored at stop.
const DEMO_PASSWORD = 'tautline-demo-2026';
const STEP_TIMEOUT_MS = 60_000;
const TRACE_SECONDS = 20;
const NOTES = 'Small bruise at the left upper trapezius needle site; ice applied.';

describe('session review in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let session: RunningSession;
  let samples: number;

  beforeAll(async () => {
    stack = await startStack('browser-session-review');
    const clients: { admin: ApiClient; scheduler: ApiClient; clinician: ApiClient } = {
      admin: await signIn(stack.apiUrl, 'admin@tautline.test'),
      scheduler: await signIn(stack.apiUrl, 'scheduler@tautline.test'),
      clinician: await signIn(stack.apiUrl, 'supervisor@tautline.test'),
    };
    const demo = stack.demo;
    session = await startRunningSession(clients, {
      clinicId: demo.clinicIds['london-bridge']!,
      patientId: demo.patientIds['Olivia Marsh']!,
      practitionerId: demo.practitionerIds['Eleanor Whitcombe']!,
      estimTypeId: demo.appointmentTypeIds['Dry needling + e-stim 45 min']!,
    });

    // 20 s at 10 Hz, stamped up to now, in one batch (≤ 500).
    const trace = simulateTreatment({
      plan: TEST_PLAN,
      hz: 10,
      durationSeconds: TRACE_SECONDS,
      seed: 42,
      startAt: new Date(Date.now() - TRACE_SECONDS * 1000).toISOString(),
      startSeq: 1,
    }).map((s) => s.sample);
    samples = trace.length;
    const sent = await sendTelemetry(stack.apiUrl, session.deviceKey, trace);
    if (sent.status !== 202)
      throw new Error(`telemetry: ${sent.status} ${JSON.stringify(sent.body)}`);
    // The worker stores the samples; the summary at stop is built from what is stored.
    const stored = async () =>
      Number(
        (
          (await stack!.db.dataSource.query(
            `SELECT count(*) AS n FROM telemetry_samples WHERE session_id = $1`,
            [session.sessionId],
          )) as { n: string }[]
        )[0]!.n,
      );
    await eventually(async () => (await stored()) === samples, 30_000);

    const stop = await clients.clinician.call('POST', `/sessions/${session.sessionId}/stop`, {
      adverseEvent: { kind: 'bruising', notes: NOTES },
    });
    if (stop.status !== 200) throw new Error(`stop: ${stop.status} ${JSON.stringify(stop.body)}`);

    dashboard = await startDashboard(stack.apiUrl);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    // Each step runs even if an earlier one fails, so nothing is left running.
    const steps = [() => browser?.close(), () => dashboard?.close(), () => stack?.stop()];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  beforeEach(async () => {
    context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
  });
  afterEach(() => context?.close());

  it(
    'lists the finished session and shows its summary, charts and adverse event',
    async () => {
      const page = await context!.newPage();
      const consoleErrors = collectConsoleErrors(page);
      await page.goto(dashboard!.url);
      await page.getByLabel('Email').fill('supervisor@tautline.test');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();

      // The list, from the navigation: the session is there as completed, linking to its review.
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: 'Session review' })
        .click();
      const link = page.locator(`a[href="#/sessions/${session.sessionId}"]`);
      await link.waitFor();
      const row = page.getByTestId('session-list').locator('tr', { has: link });
      expect(await row.textContent()).toContain('London Bridge');
      expect(await row.textContent()).toContain('Completed');
      expect(await row.textContent()).toContain('Bruising');
      // Started on London's clock, zone named.
      expect(await link.textContent()).toMatch(
        /^\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST)$/,
      );
      await saveScreenshot(page, 'session-review-list');

      await link.click();
      await page.waitForURL(`**/#/sessions/${session.sessionId}`);
      await page.getByRole('heading', { name: /^Session of .* at London Bridge$/ }).waitFor();
      expect(await page.getByTestId('session-started').textContent()).toMatch(/(GMT|BST)$/);

      const summary = page.getByRole('region', { name: 'Summary' });
      await summary.getByTestId('summary-samples').waitFor();
      expect(await summary.getByTestId('summary-samples').textContent()).toBe(String(samples));
      expect(await summary.getByTestId('summary-alerts').textContent()).toMatch(
        /^\d+ critical, \d+ warnings?$/,
      );
      const channels = summary.getByTestId('summary-channels').locator('tbody tr');
      expect(await channels.count()).toBe(TEST_PLAN.channels.length);
      expect(await channels.first().locator('th').textContent()).toBe(
        'Channel 1 · Upper trapezius, left',
      );
      // A real maximum, in mA, from the stored trace.
      expect(await channels.first().locator('td').first().textContent()).toMatch(
        /^\d+(\.\d+)? mA$/,
      );

      const adverse = page.getByRole('region', { name: 'Adverse event' });
      expect(await adverse.textContent()).toContain('Bruising');
      expect(await adverse.textContent()).toContain(NOTES);

      // uPlot drew one chart per channel on a canvas, with the legend naming the ceiling.
      const drawn = page.locator('figure.review-chart[data-state="drawn"]');
      await page.locator('figure.review-chart').first().waitFor();
      await drawn
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(async (error: unknown) => {
          await saveScreenshot(page, 'session-review-failure');
          const states = await page
            .locator('figure.review-chart')
            .evaluateAll((figures) => figures.map((f) => f.getAttribute('data-state')));
          throw new Error(
            `charts not drawn: ${JSON.stringify(states)}; console: ${JSON.stringify(consoleErrors)}; ${String(error)}`,
          );
        });
      expect(await drawn.count()).toBe(TEST_PLAN.channels.length);
      expect(await drawn.first().locator('canvas').count()).toBeGreaterThan(0);
      const box = await drawn.first().locator('canvas').first().boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect(await drawn.first().locator('.u-legend').textContent()).toContain('Ceiling');
      expect(await page.getByTestId('telemetry-extent').textContent()).toContain(
        `${samples} samples`,
      );

      await page.getByRole('region', { name: 'Alerts' }).waitFor();
      await saveScreenshot(page, 'session-review');

      // On a phone the charts follow the width: nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForFunction('document.documentElement.scrollWidth <= window.innerWidth');
      await saveScreenshot(page, 'session-review-narrow');

      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );
});
