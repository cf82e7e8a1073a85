import { DEMO_PASSWORD } from '@tautline/db';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type ApiClient, book, signIn as apiSignIn } from '../support/booking-client';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import { DAY_MS, londonDate, upcomingInLondon } from '../support/london-time';
import { startStack, type Stack } from '../support/stack';

// The scheduler calendar on the real stack (built api + worker, PostgreSQL, Redis) behind the built
// dashboard, in headless Chromium. Two browser contexts are two people at two desks.
const STEP_TIMEOUT_MS = 60_000;
const DESK = { width: 1440, height: 1000 };

describe('scheduler calendar in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let scheduler: ApiClient;

  beforeAll(async () => {
    stack = await startStack('browser-calendar');
    dashboard = await startDashboard(stack.apiUrl);
    browser = await launchChromium();
    scheduler = await apiSignIn(stack.apiUrl, 'scheduler@tautline.test');
  }, 180_000);

  afterAll(async () => {
    const steps = [() => browser?.close(), () => dashboard?.close(), () => stack?.stop()];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  /** A fresh desk: signs in and opens the calendar on `date`, at `clinic` when given. */
  async function openCalendar(
    email: string,
    date: string,
    clinic?: string,
  ): Promise<{ page: Page; consoleErrors: string[] }> {
    const context = await browser!.newContext({ viewport: DESK });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    contexts.push(context);
    const page = await context.newPage();
    const consoleErrors = collectConsoleErrors(page);
    await page.goto(dashboard!.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Calendar' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Calendar' }).waitFor();
    if (clinic) await page.getByLabel('Clinic', { exact: true }).selectOption({ label: clinic });
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.locator('.rbc-time-view').waitFor();
    await page.getByText('Loading appointments…').waitFor({ state: 'detached' });
    return { page, consoleErrors };
  }

  const card = (page: Page, patient: string) =>
    page.getByTestId('calendar-appointment').filter({ hasText: patient });

  it(
    'a scheduler finds a slot and books it; a colleague sees it appear without reloading',
    async () => {
      const start = upcomingInLondon(2, '10:00');
      const date = londonDate(start);
      // The colleague (the admin) already has that week of London Bridge open.
      const admin = await openCalendar('admin@tautline.test', date, 'London Bridge');
      expect(await admin.page.getByTestId('calendar-zone').textContent()).toMatch(
        /^Times in Europe\/London \((GMT|BST)( \/ (GMT|BST))?\)$/,
      );
      expect(await card(admin.page, 'Olivia Marsh').count()).toBe(0);

      const desk = await openCalendar('scheduler@tautline.test', date, 'London Bridge');
      await saveScreenshot(desk.page, 'calendar-week');
      // The slot finder: patient by name, type, clinic, the day, a practitioner.
      await desk.page.getByLabel('Search patients by name or phone').fill('Olivia');
      await desk.page.getByRole('button', { name: /^Olivia Marsh born/ }).click();
      await desk.page.getByLabel('Appointment type').selectOption({ label: 'Dry needling 30 min' });
      await desk.page.getByLabel('From (clinic date)').fill(date);
      await desk.page.getByLabel('To (clinic date)').fill(date);
      await desk.page
        .getByLabel('Practitioner (optional)')
        .selectOption({ label: 'Rhys Calloway' });
      await desk.page.getByRole('button', { name: 'Find free times' }).click();
      const slot = desk.page.getByRole('button', { name: /, 10:00 (GMT|BST), Rhys Calloway, / });
      await slot.waitFor();
      await saveScreenshot(desk.page, 'calendar-slot-finder');

      // Two clicks from the list: the time, then Book.
      await slot.click();
      await desk.page
        .getByRole('heading', {
          name: /^Book Olivia Marsh: Dry needling 30 min, .* 10:00 (GMT|BST), Rhys Calloway/,
        })
        .waitFor();
      await desk.page.getByRole('button', { name: 'Book', exact: true }).click();
      await desk.page.getByText(/^Booked: .* 10:00 (GMT|BST)\.$/).waitFor();
      const mine = card(desk.page, 'Olivia Marsh');
      await mine.waitFor();
      expect(await mine.textContent()).toContain('10:00–10:30');
      await saveScreenshot(desk.page, 'calendar-booked');

      // The colleague's calendar shows it live: no reload, no navigation.
      const theirs = card(admin.page, 'Olivia Marsh');
      await theirs.waitFor({ timeout: 15_000 });
      expect(await theirs.textContent()).toMatch(/10:00–10:30.*Dry needling 30 min.*booked/);
      await saveScreenshot(admin.page, 'calendar-live-colleague');

      // The details dialog from the card: confirm, the status follows on both desks.
      await mine.click();
      const dialog = desk.page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await dialog.getByTestId('appointment-status').filter({ hasText: 'confirmed' }).waitFor();
      await saveScreenshot(desk.page, 'calendar-details');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await admin.page
        .locator('[data-testid="calendar-appointment"][data-status="confirmed"]')
        .waitFor();

      // Practitioners as columns.
      await desk.page.getByRole('radio', { name: 'Practitioners' }).check();
      await desk.page.locator('.rbc-header', { hasText: 'Rhys Calloway' }).first().waitFor();
      await desk.page.getByRole('radio', { name: 'Day' }).check();
      await saveScreenshot(desk.page, 'calendar-day-practitioners');

      const stored = await scheduler.call<{ status: string }[]>(
        'GET',
        `/appointments?clinicId=${stack!.demo.clinicIds['london-bridge']}&from=${new Date(start.getTime() - DAY_MS).toISOString()}&to=${new Date(start.getTime() + DAY_MS).toISOString()}`,
      );
      expect(stored.body).toEqual([
        expect.objectContaining({ start: start.toISOString(), status: 'confirmed' }),
      ]);
      expect(desk.consoleErrors).toEqual([]);
      expect(admin.consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 4,
  );

  it(
    'a user of New York Chelsea never sees London Bridge or its appointments',
    async () => {
      const demo = stack!.demo;
      const start = upcomingInLondon(3, '14:00');
      const date = londonDate(start);
      await book(scheduler, {
        clinicId: demo.clinicIds['london-bridge']!,
        patientId: demo.patientIds['Kwame Mensah']!,
        practitionerId: demo.practitionerIds['Rhys Calloway']!,
        appointmentTypeId: demo.appointmentTypeIds['Dry needling 30 min']!,
        start,
      });

      const requests: string[] = [];
      const desk = await openCalendar('practitioner@tautline.test', date);
      desk.page.on('request', (r) => requests.push(r.url()));
      const switcher = desk.page.getByRole('group', { name: 'Show clinics' });
      expect(await switcher.getByRole('checkbox').count()).toBe(1);
      expect(await switcher.textContent()).toContain('New York Chelsea');
      expect(await desk.page.getByText('London Bridge').count()).toBe(0);
      const options = await desk.page
        .getByLabel('Clinic', { exact: true })
        .locator('option')
        .allTextContents();
      expect(options).toEqual(['New York Chelsea']);
      expect(await desk.page.getByTestId('calendar-zone').textContent()).toMatch(
        /^Times in America\/New_York \((EST|EDT)( \/ (EST|EDT))?\)$/,
      );
      // Move about the week and back: London's booking never shows.
      await desk.page.getByRole('button', { name: 'Next week' }).click();
      await desk.page.getByRole('button', { name: 'Previous week' }).click();
      await desk.page.getByText('Loading appointments…').waitFor({ state: 'detached' });
      expect(await card(desk.page, 'Kwame Mensah').count()).toBe(0);
      expect(requests.filter((u) => u.includes(demo.clinicIds['london-bridge']!))).toEqual([]);
      await saveScreenshot(desk.page, 'calendar-new-york-only');

      // The API agrees: London's appointments answer 404 to this user.
      const practitioner = await apiSignIn(stack!.apiUrl, 'practitioner@tautline.test');
      const foreign = await practitioner.call(
        'GET',
        `/appointments?clinicId=${demo.clinicIds['london-bridge']}&from=${new Date(start.getTime() - DAY_MS).toISOString()}&to=${new Date(start.getTime() + DAY_MS).toISOString()}`,
      );
      expect(foreign.status).toBe(404);
      expect(desk.consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );
});
