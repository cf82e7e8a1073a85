import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import { startStack, type Stack } from '../support/stack';

// Real API, worker, PostgreSQL and Redis behind the built dashboard, driven by headless Chromium.
const DEMO_PASSWORD = 'tautline-demo-2026';
const STEP_TIMEOUT_MS = 60_000;

describe('dashboard sign-in in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    stack = await startStack();
    dashboard = await startDashboard(stack.apiUrl);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    // Each step runs even if an earlier one fails, so nothing is left running.
    const steps = [() => browser?.close(), () => dashboard?.close(), () => stack?.stop()];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  // A fresh context per test: its own sessionStorage, so no test starts signed in.
  beforeEach(async () => {
    context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
  });
  afterEach(() => context?.close());

  async function openSignIn(): Promise<{ page: Page; consoleErrors: string[] }> {
    const page = await context!.newPage();
    const consoleErrors = collectConsoleErrors(page);
    await page.goto(dashboard!.url);
    await page.getByRole('heading', { name: 'Sign in to Tautline' }).waitFor();
    return { page, consoleErrors };
  }

  // A string, not a function, so this file needs no DOM typings.
  const storedSession = (page: Page) =>
    page.evaluate<string | null>("sessionStorage.getItem('tautline.session')");

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it(
    'signs a scheduler in to their clinics, live',
    async () => {
      const { page, consoleErrors } = await openSignIn();
      await saveScreenshot(page, 'sign-in');

      await signIn(page, 'scheduler@tautline.test', DEMO_PASSWORD);

      const names = page.getByTestId('clinic-list').getByTestId('clinic-name');
      await names.first().waitFor();
      expect((await names.allTextContents()).sort()).toEqual(['London Bridge', 'Manchester']);
      expect(await page.getByText('New York Chelsea').count()).toBe(0);

      const live = page.locator('[data-testid="live-status"][data-state="connected"]');
      await live.waitFor();
      expect(await live.textContent()).toBe('Live');

      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.locator('header').textContent()).toContain('Scheduler');
      // The token is kept for this tab only.
      expect(await storedSession(page)).toContain('accessToken');
      await saveScreenshot(page, 'scheduler-live');

      await page.setViewportSize({ width: 390, height: 844 });
      await saveScreenshot(page, 'scheduler-live-narrow');

      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );

  it(
    'serves the dashboard and Swagger UI under a strict CSP, with no violation on sign-in',
    async () => {
      const page = await context!.newPage();
      const consoleErrors = collectConsoleErrors(page);
      const violations: string[] = [];
      await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
      // Listens before any script runs, so every blocked script, style, connection or eval is caught.
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => window.reportCspViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))",
      );
      const response = await page.goto(dashboard!.url);
      const csp = response!.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response!.headers()['x-content-type-options']).toBe('nosniff');

      await page.getByRole('heading', { name: 'Sign in to Tautline' }).waitFor();
      await signIn(page, 'supervisor@tautline.test', DEMO_PASSWORD);
      // The live socket connects under connect-src 'self'.
      await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
      await page.goto(`${dashboard!.url}/#/board`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();

      const docs = await page.goto(`${stack!.apiUrl}/api/docs`);
      expect(docs!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await page.getByText('/api/v1/auth/login').first().waitFor();
      expect(violations).toEqual([]);
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );

  it(
    'explains a wrong password in words',
    async () => {
      const { page, consoleErrors } = await openSignIn();
      await signIn(page, 'scheduler@tautline.test', 'not-the-password');

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Email or password is incorrect.');
      expect(await storedSession(page)).toBeNull();
      expect(await page.getByTestId('clinic-list').count()).toBe(0);
      await saveScreenshot(page, 'sign-in-wrong-password');

      // Chromium itself logs the refused request ("Failed to load resource … 401"); the app logs nothing.
      expect(consoleErrors.filter((e) => !/Failed to load resource: .* 401/.test(e))).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );
});
