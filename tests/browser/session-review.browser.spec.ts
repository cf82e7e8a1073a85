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
// and is stopped with an adverse-event record; the summary is the one the API stored at stop. The
// trace has a 1.5 s spike over channel 1's ceiling: the worker raises a critical alert, which the
// supervisor acknowledges with a note before stopping, so the review shows who acknowledged it and
// marks it on the channel's intensity chart.
const DEMO_PASSWORD = 'tautline-demo-2026';
const STEP_TIMEOUT_MS = 60_000;
const TRACE_SECONDS = 20;
const NOTES = 'Small bruise at the left upper trapezius needle site; ice applied.';
const ACK_NOTE = 'Turned channel 1 down; patient comfortable';
const SPIKE_AT_SECOND = 8;

describe('session review in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let session: RunningSession;
  let samples: number;
  let criticalAlertId: string;

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
      faults: [{ kind: 'spike', atSecond: SPIKE_AT_SECOND, channel: 1 }],
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
    // The spike's critical alert, raised by the worker; acknowledged with a note as a supervisor would.
    const critical = async () =>
      (
        (await stack!.db.dataSource.query(
          `SELECT id FROM alerts WHERE session_id = $1 AND kind = 'intensity_over_ceiling'`,
          [session.sessionId],
        )) as { id: string }[]
      )[0]?.id;
    await eventually(async () => (await critical()) !== undefined, 30_000);
    criticalAlertId = (await critical())!;
    const ack = await clients.clinician.call('POST', `/alerts/${criticalAlertId}/acknowledge`, {
      note: ACK_NOTE,
    });
    if (ack.status !== 200)
      throw new Error(`acknowledge: ${ack.status} ${JSON.stringify(ack.body)}`);

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
    context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
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
      const text = await row.textContent();
      expect(text).toContain('London Bridge');
      expect(text).toContain('Completed');
      expect(text).toContain('Bruising');
      expect(await row.getByTestId('list-room').textContent()).toMatch(/\S/);
      expect(await row.getByTestId('list-practitioner').textContent()).toBe('Eleanor Whitcombe');
      expect(text).toContain('Patient OM');
      expect(await row.getByTestId('list-alerts').textContent()).toMatch(
        /^\d+ alerts? \d+ critical\b/,
      );
      // Started on London's clock, zone named.
      expect(await link.textContent()).toMatch(
        /^\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST)$/,
      );
      await saveScreenshot(page, 'session-review-list');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await saveScreenshot(page, 'session-review-list-1920');
      await page.setViewportSize({ width: 1280, height: 800 });

      await link.click();
      await page.waitForURL(`**/#/sessions/${session.sessionId}`);
      await page.getByRole('heading', { name: /^Session of .* at London Bridge$/ }).waitFor();
      expect(await page.getByTestId('session-started').textContent()).toMatch(/(GMT|BST)$/);
      // Who and where.
      const header = page.getByTestId('session-header');
      expect(await header.getByTestId('session-clinic').textContent()).toBe('London Bridge');
      expect(await header.getByTestId('session-practitioner').textContent()).toBe(
        'Eleanor Whitcombe',
      );
      expect(await header.getByTestId('session-patient').textContent()).toBe('OM');
      expect(await header.getByTestId('session-room').textContent()).toMatch(/\S/);
      expect(await header.getByTestId('session-alert-count').textContent()).toMatch(
        /^\d+ critical\b/,
      );

      const summary = page.getByRole('region', { name: 'Summary' });
      await summary.getByTestId('summary-samples').waitFor();
      expect(await summary.getByTestId('summary-samples').textContent()).toBe(String(samples));
      // The summary counts the same alerts as the header, technical ones included.
      expect(await summary.getByTestId('summary-alerts').textContent()).toBe(
        await header.getByTestId('session-alert-count').textContent(),
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

      // uPlot drew intensity and impedance per channel on canvases, legends naming the limits.
      const drawn = page.locator('figure.review-chart[data-state="drawn"]');
      await page.locator('figure.review-chart').first().waitFor();
      await drawn
        .nth(2 * TEST_PLAN.channels.length - 1)
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
      expect(await drawn.count()).toBe(2 * TEST_PLAN.channels.length);
      const first = page.getByTestId('review-channel').first();
      const intensity = first.locator('figure.review-chart-intensity');
      const impedance = first.locator('figure.review-chart-impedance');
      expect(await intensity.locator('canvas').count()).toBeGreaterThan(0);
      const box = await intensity.locator('canvas').first().boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect(await intensity.locator('.u-legend').textContent()).toContain('Ceiling');
      expect(await impedance.locator('.u-legend').textContent()).toMatch(/Min.*Max/);
      // The spike's alert is marked on channel 1's intensity chart, with its legend and text alternative.
      expect(await intensity.getByRole('list', { name: /Alert markers/ }).textContent()).toMatch(
        /\d+ critical alerts?/,
      );
      expect(await intensity.getByRole('img').getAttribute('aria-label')).toMatch(
        /alerts? marked: .*critical at \d{2}:\d{2}:\d{2} (GMT|BST)/,
      );
      // A red (critical) marker line is on the canvas: some pixel of the plot has ALARM_PRESENTATION's red.
      const redPixels = await intensity
        .locator('canvas')
        .first()
        .evaluate((canvas: HTMLCanvasElement) => {
          const ctx = canvas.getContext('2d')!;
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          for (let i = 0; i < data.length; i += 4)
            if (data[i] === 0xc6 && data[i + 1] === 0x28 && data[i + 2] === 0x28) n++;
          return n;
        });
      expect(redPixels).toBeGreaterThan(50);
      expect(await page.getByTestId('telemetry-extent').textContent()).toContain(
        `${samples} samples`,
      );
      // Side by side at 1280 px and wider: same row, impedance to the right.
      const [a, b] = [await intensity.boundingBox(), await impedance.boundingBox()];
      expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
      expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);

      // Who acknowledged the alert, when, with the note.
      const alertRow = page.locator(
        `[data-testid="session-alerts"] tr[data-review-alert="${criticalAlertId}"]`,
      );
      expect(await alertRow.textContent()).toMatch(
        new RegExp(
          `Acknowledged \\d{2}:\\d{2}:\\d{2} (GMT|BST) by Dr Sofia Supervisor“${ACK_NOTE}”`,
        ),
      );
      expect(await alertRow.textContent()).toContain('Critical');

      await page.getByRole('region', { name: 'Alerts' }).waitFor();
      await saveScreenshot(page, 'session-review');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.waitForTimeout(300);
      await saveScreenshot(page, 'session-review-1920');

      // On a phone the charts follow the width: nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForFunction('document.documentElement.scrollWidth <= window.innerWidth');
      await saveScreenshot(page, 'session-review-narrow');

      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );
});
