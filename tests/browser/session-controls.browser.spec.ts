import { DEMO_PASSWORD } from '@tautline/db';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type ApiClient, book, eventually, signIn as apiSignIn } from '../support/booking-client';
import { collectConsoleErrors, launchChromium, saveScreenshot } from '../support/browser';
import { startDashboard, type DashboardServer } from '../support/dashboard-server';
import { londonDate, upcomingInLondon } from '../support/london-time';
import { startStack, type Stack } from '../support/stack';

// Operating e-stim from the dashboard on the real stack (built api + worker, PostgreSQL, Redis):
// a supervisor plans the session from the calendar's appointment dialog, starts it from its board
// tile and stops it with the adverse-event form; the review shows the record. A scheduler sees no
// controls anywhere.
const STEP_TIMEOUT_MS = 60_000;
const SMALL = { width: 1280, height: 800 };
const LARGE = { width: 1920, height: 1080 };
const NOTES = 'Felt faint at 12 min, recovered lying down';

describe('session controls in a real browser', () => {
  let stack: Stack | undefined;
  let dashboard: DashboardServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let appointmentId: string;
  let date: string;

  beforeAll(async () => {
    stack = await startStack('browser-session-controls', {
      env: { LIVE_UPDATE_INTERVAL_MS: '250' },
    });
    dashboard = await startDashboard(stack.apiUrl);
    browser = await launchChromium();
    const demo = stack.demo;
    const admin: ApiClient = await apiSignIn(stack.apiUrl, 'admin@tautline.test');
    const scheduler: ApiClient = await apiSignIn(stack.apiUrl, 'scheduler@tautline.test');
    // A Monday 10:00 in London (Eleanor Whitcombe's day there), inside the calendar's 07:00–20:00
    // whatever the time now; checking in has no time window.
    const start = upcomingInLondon(1, '10:00');
    date = londonDate(start);
    const booked = await book(scheduler, {
      clinicId: demo.clinicIds['london-bridge']!,
      patientId: demo.patientIds['Olivia Marsh']!,
      practitionerId: demo.practitionerIds['Eleanor Whitcombe']!,
      appointmentTypeId: demo.appointmentTypeIds['Dry needling + e-stim 45 min']!,
      start,
    });
    appointmentId = booked.id;
    const checkIn = await scheduler.call('POST', `/appointments/${booked.id}/check-in`, {});
    if (checkIn.status !== 200) throw new Error(`check-in: ${checkIn.status}`);
    const { roomId } = (
      await scheduler.call<{ roomId: string }>('GET', `/appointments/${booked.id}`)
    ).body;
    const device = await admin.call('POST', `/clinics/${demo.clinicIds['london-bridge']}/devices`, {
      roomId,
      serial: 'CTRL-0001',
      model: 'Tautline Stim 4',
      firmware: '2.3.1',
      channels: 4,
    });
    if (device.status !== 201) throw new Error(`device: ${device.status}`);
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    const steps = [() => browser?.close(), () => dashboard?.close(), () => stack?.stop()];
    for (const step of steps)
      await step()?.catch((error: unknown) => console.error('cleanup failed', error));
  }, 60_000);

  async function signedIn(email: string): Promise<{ page: Page; consoleErrors: string[] }> {
    const context = await browser!.newContext({ viewport: LARGE });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    contexts.push(context);
    const page = await context.newPage();
    const consoleErrors = collectConsoleErrors(page);
    await page.goto(dashboard!.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return { page, consoleErrors };
  }

  async function openAppointment(page: Page, patient: string) {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Calendar' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Calendar' }).waitFor();
    await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'London Bridge' });
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.getByText('Loading appointments…').waitFor({ state: 'detached' });
    await page
      .getByTestId('calendar-appointment')
      .filter({ hasText: patient })
      .filter({ hasText: 'checked in' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('appointment-status').filter({ hasText: 'checked in' }).waitFor();
    return dialog;
  }

  const sessionRow = async () =>
    (
      (await stack!.db.dataSource.query(
        `SELECT id, status, adverse_event FROM treatment_sessions WHERE appointment_id = $1`,
        [appointmentId],
      )) as { id: string; status: string; adverse_event: unknown }[]
    )[0];

  it(
    'plans the session in the calendar, starts it from the tile and stops it with the adverse-event form',
    async () => {
      const { page, consoleErrors } = await signedIn('supervisor@tautline.test');

      // The plan editor from the checked-in e-stim appointment.
      const dialog = await openAppointment(page, 'Olivia Marsh');
      await dialog.getByRole('button', { name: 'Set up e-stim session' }).click();
      const editor = dialog.getByRole('region', { name: 'Set up the e-stim session' });
      await editor
        .getByRole('radio', { name: 'Tautline Stim 4 · CTRL-0001 · 4 channels' })
        .waitFor();
      const channels = editor.getByTestId('session-plan-channel');
      await channels.nth(0).getByLabel('Muscle').selectOption('infraspinatus');
      await channels.nth(0).getByLabel('Ceiling (mA)').fill('18');
      await editor.getByRole('button', { name: 'Add channel' }).click();
      await channels.nth(1).getByLabel('Muscle').selectOption('upper_trapezius');
      await channels.nth(1).getByLabel('Side').selectOption('left');
      await editor.getByLabel('Duration (minutes)').fill('25');
      await page.setViewportSize(SMALL);
      await saveScreenshot(page, 'session-plan-editor-1280');
      await page.setViewportSize(LARGE);
      await saveScreenshot(page, 'session-plan-editor-1920');
      await editor.getByRole('button', { name: 'Create session' }).click();
      await dialog
        .getByText(/^Session ready in Treatment room \d — start it from the board\.$/)
        .waitFor();
      const created = await sessionRow();
      expect(created).toMatchObject({ status: 'ready', adverse_event: null });
      await dialog.getByRole('button', { name: 'Close' }).click();

      // The board: the ready tile offers Start only.
      await page.goto(`${dashboard!.url}/#/board`);
      await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
      const tile = page.locator(`[data-session="${created!.id}"]`);
      const controls = tile.getByRole('group', { name: /^Operate the session in / });
      await controls.getByRole('button', { name: /^Start the session/ }).waitFor();
      expect(await controls.getByRole('button').allTextContents()).toEqual(['Start']);
      expect(
        await tile.getByRole('img', { name: /^Needle sites/ }).getAttribute('aria-label'),
      ).toMatch(/Ch 1: right infraspinatus — refers to .*Ch 2: left upper trapezius — refers to /);

      await controls.getByRole('button', { name: /^Start the session/ }).click();
      await tile.getByTestId('board-status').filter({ hasText: 'Running' }).waitFor();
      expect(await controls.getByRole('button').allTextContents()).toEqual(['Pause', 'Stop']);
      await page.setViewportSize(SMALL);
      await saveScreenshot(page, 'session-controls-tile-1280');
      await page.setViewportSize(LARGE);
      await saveScreenshot(page, 'session-controls-tile-1920');

      // Pause and resume from the tile.
      await controls.getByRole('button', { name: /^Pause the session/ }).click();
      await tile.getByTestId('board-status').filter({ hasText: 'Paused' }).waitFor();
      expect(await controls.getByRole('button').allTextContents()).toEqual(['Resume', 'Stop']);
      await controls.getByRole('button', { name: /^Resume the session/ }).click();
      await tile.getByTestId('board-status').filter({ hasText: 'Running' }).waitFor();

      // Stop: the adverse-event form first; nothing is sent until a choice is made.
      await controls.getByRole('button', { name: /^Stop the session/ }).click();
      const stop = page.getByRole('dialog', { name: 'Stop the session' });
      await stop.waitFor();
      expect(
        await stop
          .getByRole('radio')
          .first()
          .evaluate((el) => el === document.activeElement),
      ).toBe(true);
      await stop.getByRole('button', { name: 'Stop session' }).click();
      await stop.getByText('Choose one: “None” if nothing happened.').waitFor();
      await page.keyboard.press('Escape');
      await stop.waitFor({ state: 'detached' });
      expect((await sessionRow())!.status).toBe('running');

      await controls.getByRole('button', { name: /^Stop the session/ }).click();
      await stop.getByRole('radio', { name: /^Vasovagal/ }).check();
      await stop.getByLabel('Notes (optional)').fill(NOTES);
      await page.setViewportSize(SMALL);
      await saveScreenshot(page, 'session-stop-dialog-1280');
      await page.setViewportSize(LARGE);
      await saveScreenshot(page, 'session-stop-dialog-1920');
      await stop.getByRole('button', { name: 'Stop session' }).click();
      await stop.waitFor({ state: 'detached' });
      // The session ends: it leaves the board, the record keeps the adverse event.
      await tile.waitFor({ state: 'detached' });
      const ended = await eventually(async () => {
        const row = await sessionRow();
        return row?.status === 'completed' ? row : undefined;
      });
      expect(ended.adverse_event).toEqual({ kind: 'vasovagal', notes: NOTES });

      await page.goto(`${dashboard!.url}/#/sessions/${created!.id}`);
      const adverse = page.getByRole('region', { name: 'Adverse event' });
      await adverse.waitFor();
      expect(await adverse.textContent()).toContain('Vasovagal');
      expect(await adverse.textContent()).toContain(NOTES);
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 5,
  );

  it(
    'shows a scheduler neither the plan editor nor the tile controls',
    async () => {
      // A second session, ready on the board: the first one ended, so the room and device are free.
      const admin = await apiSignIn(stack!.apiUrl, 'admin@tautline.test');
      const scheduler = await apiSignIn(stack!.apiUrl, 'scheduler@tautline.test');
      const supervisor = await apiSignIn(stack!.apiUrl, 'supervisor@tautline.test');
      const demo = stack!.demo;
      const start = upcomingInLondon(1, '15:00');
      const booked = await book(scheduler, {
        clinicId: demo.clinicIds['london-bridge']!,
        patientId: demo.patientIds['Olivia Marsh']!,
        practitionerId: demo.practitionerIds['Eleanor Whitcombe']!,
        appointmentTypeId: demo.appointmentTypeIds['Dry needling + e-stim 45 min']!,
        start,
      });
      expect((await scheduler.call('POST', `/appointments/${booked.id}/check-in`, {})).status).toBe(
        200,
      );
      const { roomId } = (
        await scheduler.call<{ roomId: string }>('GET', `/appointments/${booked.id}`)
      ).body;
      const devices = await admin.call<{ roomId: string | null }[]>(
        'GET',
        `/clinics/${demo.clinicIds['london-bridge']}/devices`,
      );
      if (!devices.body.some((d) => d.roomId === roomId)) {
        const device = await admin.call(
          'POST',
          `/clinics/${demo.clinicIds['london-bridge']}/devices`,
          {
            roomId,
            serial: 'CTRL-0002',
            model: 'Tautline Stim 4',
            firmware: '2.3.1',
            channels: 4,
          },
        );
        expect(device.status).toBe(201);
      }
      const session = await supervisor.call<{ id: string }>('POST', '/sessions', {
        appointmentId: booked.id,
        plan: {
          plannedDurationMinutes: 20,
          channels: [
            {
              channel: 1,
              muscle: 'gluteus_medius',
              side: 'right',
              waveform: 'biphasic_symmetric',
              frequencyHz: 4,
              pulseWidthUs: 250,
              intensityCeilingMa: 15,
            },
          ],
        },
      });
      expect(session.status).toBe(201);

      const { page, consoleErrors } = await signedIn('scheduler@tautline.test');
      const dialog = await openAppointment(page, 'Olivia Marsh').catch(async (error: unknown) => {
        await saveScreenshot(page, 'session-controls-scheduler-failure');
        throw error;
      });
      expect(await dialog.getByRole('button', { name: 'Set up e-stim session' }).count()).toBe(0);
      await dialog.getByRole('button', { name: 'Close' }).click();

      await page.goto(`${dashboard!.url}/#/board`);
      await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
      const tile = page.locator(`[data-session="${session.body.id}"]`);
      await tile.getByTestId('board-status').filter({ hasText: 'Ready' }).waitFor();
      await tile.getByRole('img', { name: /^Needle sites/ }).waitFor();
      expect(await tile.getByRole('group', { name: /^Operate the session/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /the session in/ }).count()).toBe(0);
      await saveScreenshot(page, 'session-controls-scheduler');
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );
});
