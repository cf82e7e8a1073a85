import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type ApiClient, book, signIn } from '../support/booking-client';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import { upcomingInLondon } from '../support/london-time';
import { startStack, type Stack } from '../support/stack';

// A patient opens the link from a reminder on a phone: real API, worker, PostgreSQL and Redis
// behind the built dashboard, driven by headless Chromium. No sign-in: the link is the credential.
const STEP_TIMEOUT_MS = 60_000;
/** The stack passes the test's environment to the api; otherwise the api uses the development default. */
const JWT_SECRET = process.env.JWT_SECRET || 'tautline-local-development-secret-change-me';
const PHONE = { width: 390, height: 844 };

describe('patient self-service link in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let scheduler: ApiClient;

  beforeAll(async () => {
    stack = await startStack('browser-patient-link');
    dashboard = await startDashboard(stack.apiUrl);
    browser = await launchChromium();
    scheduler = await signIn(stack.apiUrl, 'scheduler@tautline.test');
  }, 180_000);

  afterAll(async () => {
    // Each step runs even if an earlier one fails, so nothing is left running.
    const steps = [() => browser?.close(), () => dashboard?.close(), () => stack?.stop()];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  // A phone-sized context of its own per test: nothing carried over, no session of any kind.
  beforeEach(async () => {
    context = await browser!.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
  });
  afterEach(() => context?.close());

  async function openLink(
    token: string,
  ): Promise<{ page: Page; consoleErrors: string[]; requests: string[] }> {
    const page = await context!.newPage();
    const consoleErrors = collectConsoleErrors(page);
    const requests: string[] = [];
    page.on('request', (request) => {
      const auth = request.headers().authorization;
      requests.push(
        `${request.method()} ${new URL(request.url()).pathname}${auth ? ' (authorization)' : ''}`,
      );
    });
    const response = await page.goto(`${dashboard!.url}/p/${token}`);
    // The history fallback serves index.html for the token path, dot and all.
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    return { page, consoleErrors, requests };
  }

  async function bookOlivia(start: Date): Promise<{ id: string; token: string }> {
    const demo = stack!.demo;
    const booked = await book(scheduler, {
      clinicId: demo.clinicIds['london-bridge']!,
      patientId: demo.patientIds['Olivia Marsh']!,
      practitionerId: demo.practitionerIds['Rhys Calloway']!,
      appointmentTypeId: demo.appointmentTypeIds['Dry needling 30 min']!,
      start,
    });
    const token = new PatientLinkSigner(JWT_SECRET).sign({
      appointmentId: booked.id,
      exp: patientLinkExpiry(new Date(booked.start)),
    });
    return { id: booked.id, token };
  }

  it(
    'shows the appointment on a phone and confirms it',
    async () => {
      const { id, token } = await bookOlivia(upcomingInLondon(2, '10:00'));
      expect(token).toContain('.');
      const { page, consoleErrors, requests } = await openLink(token);

      await page.getByRole('heading', { level: 1, name: 'Hi Olivia' }).waitFor();
      expect(await page.locator('.patient-clinic-name').textContent()).toBe('London Bridge');
      // 10:00 on the clinic's clock, the zone named (GMT or BST depending on the date).
      expect(await page.getByTestId('patient-when').textContent()).toMatch(
        /^\w{3} \d{1,2} \w{3} \d{4}, 10:00 (GMT|BST)$/,
      );
      expect(await page.getByTestId('patient-zone').textContent()).toContain('Europe/London');
      expect(await page.getByTestId('patient-status').textContent()).toBe(
        'Booked, not yet confirmed',
      );
      await page.getByRole('heading', { name: 'Before your visit' }).waitFor();
      expect(
        await page.getByRole('link', { name: '+442079460101' }).first().getAttribute('href'),
      ).toBe('tel:+442079460101');
      // Fits the phone's width: nothing scrolls sideways.
      expect(
        await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'),
      ).toBe(true);
      await saveScreenshot(page, 'patient-link');

      // The free times, grouped by London day; then back without moving.
      await page.getByRole('button', { name: 'Choose another time' }).click();
      const firstDay = page.locator('details.patient-day').first();
      await firstDay.waitFor();
      expect(await firstDay.locator('summary').textContent()).toMatch(
        /^\w+day \d{1,2} \w+ \((GMT|BST)\)\d+ times?$/,
      );
      expect(await firstDay.getByRole('radio').count()).toBeGreaterThan(0);
      await saveScreenshot(page, 'patient-link-choose-time');
      await page.getByRole('button', { name: 'Keep my current time' }).click();

      // The cancel step, then keep the appointment.
      await page.getByRole('button', { name: 'Cancel appointment' }).click();
      await page.getByLabel('Reason (optional)').waitFor();
      await saveScreenshot(page, 'patient-link-cancel-step');
      await page.getByRole('button', { name: 'Keep my appointment' }).click();

      await page.getByRole('button', { name: 'Confirm appointment' }).click();
      await page.locator('[data-testid="patient-status"]', { hasText: /^Confirmed$/ }).waitFor();
      const result = page
        .getByRole('status')
        .getByText('Thank you. Your appointment is confirmed.');
      await result.waitFor();
      // Focus moved to the result (a string, not a function, so this file needs no DOM typings).
      expect(
        await page.evaluate<string | null>('document.activeElement?.textContent ?? null'),
      ).toBe('Thank you. Your appointment is confirmed.');
      expect(await page.getByRole('button', { name: 'Confirm appointment' }).count()).toBe(0);
      await saveScreenshot(page, 'patient-link-confirmed');
      // The narrowest phones still fit.
      await page.setViewportSize({ width: 360, height: 740 });
      expect(
        await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'),
      ).toBe(true);
      await saveScreenshot(page, 'patient-link-confirmed-360');

      // The clinic sees it: the API says confirmed.
      const stored = await scheduler.call<{ status: string }>('GET', `/appointments/${id}`);
      expect(stored).toMatchObject({ status: 200, body: { status: 'confirmed' } });

      // Only the patient-link API and the page's own files: no sign-in, no socket, no bearer token.
      const apiCalls = requests.filter((r) => r.includes('/api/'));
      expect(apiCalls.every((r) => r.includes(`/api/v1/patient-links/${token}`))).toBe(true);
      expect(apiCalls).toContain(`POST /api/v1/patient-links/${token}/confirm`);
      expect(
        requests.filter((r) => r.includes('/socket.io') || r.includes('(authorization)')),
      ).toEqual([]);
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );

  it(
    'shows the friendly page for a tampered link',
    async () => {
      const { token } = await bookOlivia(upcomingInLondon(3, '14:00'));
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      const { page, consoleErrors } = await openLink(tampered);

      const invalid = page.getByTestId('patient-invalid-link');
      await invalid.waitFor();
      expect(await invalid.textContent()).toContain(
        'This link has expired or is not valid. Please call the clinic.',
      );
      expect(await page.getByText('Olivia').count()).toBe(0);
      expect(await page.getByRole('button').count()).toBe(0);
      await saveScreenshot(page, 'patient-link-invalid');

      // Chromium itself logs the refused request ("Failed to load resource … 404"); the app logs nothing.
      expect(consoleErrors.filter((e) => !/Failed to load resource: .* 404/.test(e))).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );
});
