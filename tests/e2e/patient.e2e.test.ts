import { readFile } from 'node:fs/promises';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Appointment, dateIn, slotsOn } from '../helpers/booking.js';
import {
  DESKTOP,
  expectAccessible,
  expectAccessibleAtBothWidths,
  openPage,
  PHONE,
  signIn,
  slotLabel,
  useBrowser,
} from '../helpers/browser.js';
import { deskScene, MINUTE, slotOf } from '../helpers/front-desk.js';
import { client, TEST_PASSWORD, type TestAccount, useTestHub } from '../helpers/harness.js';
import { icsEvents } from '../helpers/ics.js';
import { scene } from '../helpers/scene.js';

const label = slotLabel;

/** The button of one slot on the week, by its exact accessible name ("Tue 9 Dec 09:30, held"). */
const cell = (page: Page, start: string, status: string) =>
  page.getByRole('button', { name: `${label(start)}, ${status}`, exact: true });

/**
 * The patient page in a real Chromium: search, a doctor's week that changes live as other patients hold
 * and book, holds with a countdown, booking, moving and cancelling, notifications as they arrive.
 */
describe('the patient page', () => {
  const chrome = useBrowser();
  const hub = useTestHub();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  /** Every context is closed after its test; a step that cannot happen fails in 10 s, saying which. */
  function track(context: BrowserContext): BrowserContext {
    context.setDefaultTimeout(10_000);
    context.on('weberror', (e) => console.error('page error:', e.error()));
    contexts.push(context);
    return context;
  }

  /** A patient in a browser context of their own, signed in through the form, on the doctor's week. */
  async function onTheWeek(who: TestAccount, doctorName: string, options: BrowserContextOptions = {}) {
    const context = await chrome.browser.newContext({ viewport: DESKTOP, ...options });
    track(context);
    return { context, page: await weekOf(context, who, doctorName) };
  }
  async function weekOf(context: BrowserContext, who: TestAccount, doctorName: string) {
    const page = await context.newPage();
    await page.goto(hub.url);
    await signIn(page, who.email);
    await page.getByRole('heading', { name: 'My appointments' }).waitFor();
    await page.getByRole('button', { name: `See times for ${doctorName}` }).click();
    await page.getByRole('heading', { name: `Times with ${doctorName}` }).waitFor();
    return page;
  }

  it("shows one patient's hold and booking live on another's week, and refuses those times", async () => {
    const doctorName = 'Dr. Grace Hopper';
    const { doctorId, patients, free } = await scene(hub, {
      doctor: { name: doctorName, feeCents: 6500, languages: ['en', 'de'] },
      patients: ['Ann Able', 'Ben Baker', 'Cat Cole'],
      daysAhead: 1,
    });
    const [ann, ben, cat] = patients;
    const slot = free[0]!.start;

    // Signed out: the search works, the sign-in form is there; nothing serious for axe.
    const { context: anonymous, page: visitor } = await openPage(chrome.browser, hub.url);
    track(anonymous);
    await visitor.getByRole('heading', { name: doctorName }).waitFor();
    await expect.poll(() => visitor.getByText('€65.00').count()).toBe(1);
    await visitor.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessibleAtBothWidths(visitor, 'patient-search');
    // Signed out, the week is there to look at; holding asks for an account.
    await visitor.getByRole('button', { name: `See times for ${doctorName}` }).click();
    await cell(visitor, slot, 'free').click();
    await visitor.getByRole('alert').filter({ hasText: 'Sign in, or create an account' }).waitFor();

    // Ben looks "near me" first (the browser asks only when he presses the button).
    const { page: benPage } = await onTheWeek(ben, doctorName, {
      geolocation: { latitude: 52.52, longitude: 13.41 },
      permissions: ['geolocation'],
    });
    await benPage.getByRole('button', { name: 'Back to the doctors' }).click();
    await benPage.getByRole('button', { name: 'Near me' }).click();
    await benPage.getByText(/km away/).waitFor();
    await benPage.getByRole('button', { name: `See times for ${doctorName}` }).click();
    await cell(benPage, slot, 'free').waitFor();
    await benPage.evaluate('window.sameDocument = true');

    // Cat's page gets no live events at all (its socket goes nowhere): only the server can refuse her.
    const catContext = await chrome.browser.newContext({ viewport: DESKTOP });
    track(catContext);
    await catContext.routeWebSocket(/socket\.io/, () => {});
    const catPage = await weekOf(catContext, cat, doctorName);
    await cell(catPage, slot, 'free').waitFor();

    const { page: annPage } = await onTheWeek(ann, doctorName);
    await cell(annPage, slot, 'free').click();
    await annPage.getByRole('heading', { name: `Holding ${label(slot)}` }).waitFor();
    await expect.poll(() => annPage.getByRole('timer').textContent()).toMatch(/^[45]:\d\d$/);
    await cell(annPage, slot, 'your hold').waitFor();

    // Ben's cell turns held without a reload, and pressing it says why not.
    await cell(benPage, slot, 'held').waitFor({ timeout: 5000 });
    // (aria-disabled, so Playwright would wait for it to be enabled; a person can still press it.)
    await cell(benPage, slot, 'held').click({ force: true });
    await benPage.getByRole('alert').filter({ hasText: 'held by another patient' }).waitFor();

    // Signed in, the grid open with a hold: nothing serious for axe.
    await expectAccessible(annPage);

    await annPage.getByLabel('Reason for the visit (optional)').fill('Sore knee');
    await annPage.getByRole('button', { name: `Book ${label(slot)}`, exact: true }).click();
    await annPage
      .getByRole('status')
      .filter({ hasText: `Booked: ${label(slot)} with ${doctorName}` })
      .waitFor();
    await cell(annPage, slot, 'your booking').waitFor();
    await annPage.getByRole('region', { name: 'My appointments' }).getByText(label(slot)).waitFor();

    // Ben's cell turns booked, still without a reload, and is refused.
    await cell(benPage, slot, 'booked').waitFor({ timeout: 5000 });
    await cell(benPage, slot, 'booked').click({ force: true });
    await benPage.getByRole('alert').filter({ hasText: 'already booked' }).waitFor();
    expect(await benPage.evaluate('window.sameDocument')).toBe(true);

    // Cat still sees it free; the server refuses her, the page says so and shows the cell as it is.
    await catPage.getByText('Offline').first().waitFor();
    await cell(catPage, slot, 'free').click();
    await catPage.getByRole('alert').filter({ hasText: 'This slot is already booked' }).waitFor();
    await cell(catPage, slot, 'booked').waitFor();

    const booked = await client(hub).get<{ items: Appointment[] }>('/v1/appointments', ann.token);
    expect(booked.body.items.map((a) => [a.start, a.status, a.reason])).toEqual([
      [slot, 'booked', 'Sore knee'],
    ]);
    expect((await slotsOn(hub, doctorId, slot.slice(0, 10))).find((s) => s.start === slot)?.status).toBe(
      'booked',
    );

    await expectAccessibleAtBothWidths(benPage, 'patient-grid');
    await annPage.getByRole('heading', { name: `Times with ${doctorName}` }).waitFor();
  }, 120_000);

  it('moves, downloads and cancels an appointment, and shows a notification as it arrives', async () => {
    const { doctorId, desk, patient, timezone } = await deskScene(hub, ['Dora Diaz']);
    const doctorName = (await client(hub).get<{ name: string }>(`/v1/doctors/${doctorId}`)).body.name;
    const first = await client(hub).post<Appointment>(
      '/v1/appointments',
      { doctorId, start: new Date(slotOf(Date.now()) + 150 * MINUTE).toISOString() },
      patient.token,
    );
    expect(first.status).toBe(201);
    const before = first.body.start;
    const later = (await slotsOn(hub, doctorId, dateIn(1, timezone))).find((s) => s.status === 'free')!.start;

    const context = track(await chrome.browser.newContext({ viewport: PHONE }));
    const page = await context.newPage();
    await page.goto(hub.url);
    await signIn(page, patient.email);
    const mine = page.getByRole('region', { name: 'My appointments' });
    await mine.getByText(label(before)).waitFor();
    await page.getByRole('region', { name: 'Notifications' }).getByText('No notifications.').waitFor();

    // The doctor runs late: the notice arrives in the list live.
    const delay = await client(hub).post(`/v1/doctors/${doctorId}/delay`, { minutes: 30 }, desk.token);
    expect(delay.status).toBe(200);
    const notices = page.getByRole('region', { name: /Notifications/ });
    await notices.getByText(`${doctorName} is running late`).waitFor({ timeout: 5000 });
    await notices.getByRole('button', { name: `Mark as read: ${doctorName} is running late` }).click();
    await notices.getByRole('button', { name: /Mark as read/ }).waitFor({ state: 'detached' });

    // Reschedule: the doctor's week opens in "moving" mode; a free time tomorrow is held, then taken.
    await mine.getByRole('button', { name: `Reschedule ${label(before)} with ${doctorName}` }).click();
    await page.getByText(`Moving your appointment of ${label(before)}`).waitFor();
    await cell(page, before, 'your booking').waitFor();
    await cell(page, later, 'free').click();
    await page.getByRole('button', { name: `Move my appointment to ${label(later)}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `is now ${label(later)}` })
      .waitFor();
    await cell(page, before, 'free').waitFor({ timeout: 5000 });
    await mine.getByText(label(later)).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      mine
        .getByRole('button', { name: `Add to calendar (.ics): ${label(later)} with ${doctorName}` })
        .click(),
    ]);
    const ics = await readFile(await download.path(), 'utf8');
    expect(icsEvents(ics).map((e) => [e.uid, e.start])).toEqual([
      [`${first.body.id}@booking-hub`, Date.parse(later)],
    ]);

    await mine.getByRole('button', { name: `Cancel ${label(later)} with ${doctorName}` }).click();
    await mine.getByRole('button', { name: 'Yes, cancel' }).click();
    await mine.getByText('Nothing booked yet.').waitFor();
    await mine.getByText('Past and cancelled (1)').waitFor();
    const after = await client(hub).get<Appointment>(`/v1/appointments/${first.body.id}`, patient.token);
    expect([after.body.start, after.body.status]).toEqual([later, 'cancelled']);
  }, 120_000);
});

/**
 * A page left open past its access token's life: the server leaves the patient's private room
 * (`session_expired`); the page refreshes its token, reconnects and keeps receiving notifications.
 */
describe('the patient page, open for longer than a token lives', () => {
  const chrome = useBrowser();
  const hub = useTestHub({ ACCESS_TOKEN_TTL_SECONDS: '30', SESSION_CHECK_SECONDS: '1' });

  it('still shows a notification that arrives after the token it signed in with has expired', async () => {
    const { doctorId, desk, patient } = await deskScene(hub, ['Eve Ember']);
    const doctorName = (await client(hub).get<{ name: string }>(`/v1/doctors/${doctorId}`)).body.name;
    const booked = await client(hub).post<Appointment>(
      '/v1/appointments',
      { doctorId, start: new Date(slotOf(Date.now()) + 150 * MINUTE).toISOString() },
      patient.token,
    );
    expect(booked.status).toBe(201);
    const { context, page } = await openPage(chrome.browser, hub.url, PHONE);
    try {
      await signIn(page, patient.email);
      await page
        .getByRole('region', { name: 'My appointments' })
        .getByText(label(booked.body.start))
        .waitFor();
      await new Promise((resolve) => setTimeout(resolve, 33_000));
      // The desk's token has expired too: it signs in again.
      const login = await client(hub).post<{ accessToken: string }>('/v1/auth/login', {
        email: desk.email,
        password: TEST_PASSWORD,
      });
      const delay = await client(hub).post(
        `/v1/doctors/${doctorId}/delay`,
        { minutes: 30 },
        login.body.accessToken,
      );
      expect(delay.status).toBe(200);
      await page
        .getByRole('region', { name: /Notifications/ })
        .getByText(`${doctorName} is running late`)
        .waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }
  }, 90_000);
});
