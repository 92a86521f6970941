import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bookSlot, everyDay } from '../helpers/booking.js';
import {
  DESKTOP,
  expectAccessible,
  expectAccessibleAtBothWidths,
  signIn,
  slotLabel,
  useBrowser,
} from '../helpers/browser.js';
import { client, type TestAccount, useTestHub } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';

const label = slotLabel;

/**
 * The waitlist in a real Chromium: a patient joins from a doctor's full day, sees their place in line,
 * is offered the time the moment another patient cancels (live, with a countdown) and books it; another
 * leaves the list; the doctor sees how many wait.
 */
describe('the waitlist on the pages', () => {
  const chrome = useBrowser();
  const hub = useTestHub();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  async function signedIn(who: TestAccount, path = '/'): Promise<Page> {
    const context = await chrome.browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    context.on('weberror', (e) => console.error('page error:', e.error()));
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${hub.url}${path}`);
    await signIn(page, who.email);
    return page;
  }

  async function joinFromWeek(page: Page, doctorName: string, day: string) {
    await page.getByRole('heading', { name: 'My appointments' }).waitFor();
    await page.getByRole('button', { name: `See times for ${doctorName}` }).click();
    await page.getByRole('button', { name: `Join waitlist for ${day}` }).click();
    await page.getByRole('heading', { name: 'My waitlists' }).waitFor();
  }

  it('joins from a full day, is offered a cancelled time live with a countdown, and books it', async () => {
    const doctorName = 'Dr. Ada Lovelace';
    const cast = await scene(hub, {
      doctor: { name: doctorName, hours: everyDay({ start: '10:00', end: '10:30' }) },
      patients: ['Ann Able', 'Ben Baker', 'Cat Cole'],
      daysAhead: 1,
    });
    const [ann, ben, cat] = cast.patients;
    const slot = cast.free[0]!.start;
    const day = label(slot).slice(0, -6);
    const booked = await bookSlot(hub, ann, cast.doctorId, slot);

    const benPage = await signedIn(ben);
    await joinFromWeek(benPage, doctorName, day);
    await benPage.getByText('number 1 in line').waitFor();
    await expectAccessibleAtBothWidths(benPage, 'patient-waitlist');
    await benPage.setViewportSize(DESKTOP);

    // Cat joins too, then leaves: her card goes.
    const catPage = await signedIn(cat);
    await joinFromWeek(catPage, doctorName, day);
    await catPage.getByText('number 2 in line').waitFor();
    await catPage.getByRole('button', { name: `Leave the waitlist of ${doctorName}, ${day}` }).click();
    await catPage.getByRole('heading', { name: 'My waitlists' }).waitFor({ state: 'detached' });

    // The doctor sees one waiting.
    const doctorPage = await signedIn(cast.doctor, '/doctor');
    await doctorPage.getByText(/Waitlist: 1 waiting/).waitFor();

    // Ann cancels: Ben's page shows the offer without a reload, counting down from ten minutes.
    const cancelled = Date.now();
    expect((await client(hub).post(`/v1/appointments/${booked.id}/cancel`, {}, ann.token)).status).toBe(200);
    await benPage.getByRole('heading', { name: `${label(slot)} with ${doctorName} is yours` }).waitFor();
    const offeredWithinMs = Date.now() - cancelled;
    expect(offeredWithinMs, 'offered within a few seconds of the cancellation').toBeLessThan(5000);
    await expect.poll(() => benPage.getByRole('timer').textContent()).toMatch(/^(10:00|9:\d\d)$/);
    await expectAccessible(benPage, 'patient-waitlist-offer-desktop');

    await benPage.getByRole('button', { name: `Book ${label(slot)}` }).click();
    await benPage.getByRole('heading', { name: 'My waitlists' }).waitFor({ state: 'detached' });
    const mine = await client(hub).get<{ items: { start: string; status: string }[] }>(
      '/v1/appointments',
      ben.token,
    );
    expect(mine.body.items.map((a) => [Date.parse(a.start), a.status])).toEqual([
      [Date.parse(slot), 'booked'],
    ]);
  });
});
