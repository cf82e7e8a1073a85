import { DEMO_PASSWORD } from '@tautline/db';
import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type ApiClient, book, signIn as apiSignIn } from '../support/booking-client';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import { londonDate, upcomingInLondon } from '../support/london-time';
import { startStack, type Stack } from '../support/stack';

// A patient confirms from a reminder link while the scheduler's calendar is open at another desk:
// the real stack behind the built dashboard, two headless Chromium contexts.
const STEP_TIMEOUT_MS = 60_000;
const DESK = { width: 1440, height: 1000 };
const PHONE = { width: 390, height: 844 };
const JWT_SECRET = process.env.JWT_SECRET || 'tautline-local-development-secret-change-me';

describe('a patient confirms and the scheduler sees it live', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let scheduler: ApiClient;

  beforeAll(async () => {
    stack = await startStack('browser-patient-confirms');
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

  async function newPage(
    viewport: { width: number; height: number },
    mobile = false,
  ): Promise<{ page: Page; consoleErrors: string[] }> {
    const context = await browser!.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    contexts.push(context);
    const page = await context.newPage();
    return { page, consoleErrors: collectConsoleErrors(page) };
  }

  it(
    "the scheduler's open calendar turns the appointment to confirmed without a reload",
    async () => {
      const demo = stack!.demo;
      const start = upcomingInLondon(4, '15:00');
      const booked = await book(scheduler, {
        clinicId: demo.clinicIds['london-bridge']!,
        patientId: demo.patientIds['Olivia Marsh']!,
        practitionerId: demo.practitionerIds['Rhys Calloway']!,
        appointmentTypeId: demo.appointmentTypeIds['Dry needling 30 min']!,
        start,
      });

      // The scheduler's desk: signed in, the calendar on that week of London Bridge.
      const desk = await newPage(DESK);
      await desk.page.goto(dashboard!.url);
      await desk.page.getByLabel('Email').fill('scheduler@tautline.test');
      await desk.page.getByLabel('Password').fill(DEMO_PASSWORD);
      await desk.page.getByRole('button', { name: 'Sign in' }).click();
      await desk.page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: 'Calendar' })
        .click();
      await desk.page
        .getByLabel('Clinic', { exact: true })
        .selectOption({ label: 'London Bridge' });
      await desk.page.getByLabel('Date', { exact: true }).fill(londonDate(start));
      const card = desk.page
        .getByTestId('calendar-appointment')
        .filter({ hasText: 'Olivia Marsh' });
      await card.waitFor();
      expect(await card.getAttribute('data-status')).toBe('booked');
      expect(await card.textContent()).toContain('15:00–15:30');
      await saveScreenshot(desk.page, 'patient-confirms-calendar-before');

      // The patient, on a phone, from the reminder link.
      const token = new PatientLinkSigner(JWT_SECRET).sign({
        appointmentId: booked.id,
        exp: patientLinkExpiry(new Date(booked.start)),
      });
      const phone = await newPage(PHONE, true);
      await phone.page.goto(`${dashboard!.url}/p/${token}`);
      await phone.page.getByRole('heading', { level: 1, name: 'Hi Olivia' }).waitFor();
      await phone.page.getByRole('button', { name: 'Confirm appointment' }).click();
      await phone.page
        .getByRole('status')
        .getByText('Thank you. Your appointment is confirmed.')
        .waitFor();
      await saveScreenshot(phone.page, 'patient-confirms-phone');

      // The calendar follows over the live socket: same page, no reload.
      await desk.page
        .locator('[data-testid="calendar-appointment"][data-status="confirmed"]', {
          hasText: 'Olivia Marsh',
        })
        .waitFor({ timeout: 15_000 });
      expect(await card.textContent()).toContain('confirmed');
      await saveScreenshot(desk.page, 'patient-confirms-calendar-after');
      expect(desk.consoleErrors).toEqual([]);
      expect(phone.consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );
});
