import type { BrowserContext, Page } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterEach, describe, expect, it } from 'vitest';
import { type Appointment, AROUND_THE_CLOCK, dateIn } from '../helpers/booking.js';
import {
  DESKTOP,
  expectAccessible,
  expectAccessibleAtBothWidths,
  openPage,
  PHONE,
  signIn,
  useBrowser,
} from '../helpers/browser.js';
import { MINUTE, morningZone, slotOf } from '../helpers/front-desk.js';
import { client, createAccount, useTestHub } from '../helpers/harness.js';
import { scene } from '../helpers/scene.js';

/** How many notes the page has played through Web Audio (oscillators started), counted in the page. */
const NOTES = '__notesPlayed';

/**
 * The doctor's page in a real Chromium, against a real hub: bookings made elsewhere arrive live (a
 * toast within a second, a sound, the agenda), and the hours, time-off and "running late" editors
 * change what the API says.
 */
describe('the doctor page', () => {
  const chrome = useBrowser();
  const hub = useTestHub();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  async function open(viewport: typeof DESKTOP): Promise<Page> {
    const context = await chrome.browser.newContext({ viewport });
    contexts.push(context);
    // The tests' tsconfig has no DOM types: the in-page code is a string, as in helpers/browser.ts.
    await context.addInitScript(`
      window.${NOTES} = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args) {
        window.${NOTES} += 1;
        return start.apply(this, args);
      };`);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${hub.url}/doctor`);
    return page;
  }
  const notesPlayed = (page: Page) => page.evaluate<number>(`window.${NOTES}`);
  const morePlayedThan = (page: Page, n: number) => page.waitForFunction(`window.${NOTES} > ${n}`);

  it('shows a booking within a second of its 201: a toast, a sound, and the agenda gains it', async () => {
    // A clinic where it is late morning, so the slot an hour from now is still today there.
    const timezone = morningZone();
    const { clinic, doctorId, doctor, patient } = await scene(hub, {
      clinic: { timezone },
      doctor: { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0, name: 'Dr. Ada Quill' },
      patients: ['Grace Hopwood'],
    });
    const page = await open(DESKTOP);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'doctor-signin-desktop');

    await signIn(page, doctor.email);
    await page.getByText('No appointments today.').waitFor();
    await page.getByText(clinic.name).waitFor();
    // Live: connected and in the doctor's room (the offline banner goes once both are true).
    await page.getByText('Offline').waitFor({ state: 'detached', timeout: 10_000 });
    const before = await notesPlayed(page);

    const start = new Date(slotOf(Date.now()) + 60 * MINUTE).toISOString();
    const res = await client(hub).post<Appointment>(
      '/v1/appointments',
      { doctorId, start, reason: 'Sore throat since Monday' },
      patient.token,
    );
    const answeredAt = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const toast = page.locator('.toast', { hasText: 'New booking: Grace Hopwood, today at' });
    await toast.waitFor({ state: 'visible', timeout: 5000 });
    const toastAfter = Date.now() - answeredAt;
    expect(toastAfter, `toast ${toastAfter} ms after the 201`).toBeLessThan(1000);
    // The toast sits in the polite live region, so a screen reader hears it too.
    await page.getByRole('status').filter({ hasText: 'New booking: Grace Hopwood' }).waitFor();

    const agenda = page.getByRole('list', { name: "Today's appointments" });
    const row = agenda.getByRole('listitem').filter({ hasText: 'Grace Hopwood' });
    await row.waitFor();
    expect(await row.textContent()).toContain(res.body.start.slice(11, 16));
    expect(await row.textContent()).toContain('Booked');
    // The event carries no visit reason; the page reads the appointment for it.
    await row.getByText('Sore throat since Monday').waitFor();
    await morePlayedThan(page, before);
    await page.getByText('1 appointment', { exact: false }).waitFor();

    // A cancellation elsewhere: a toast, another sound, and the row shows it.
    const afterBooking = await notesPlayed(page);
    const cancel = await client(hub).post(`/v1/appointments/${res.body.id}/cancel`, {}, doctor.token);
    expect(cancel.status).toBe(200);
    await page.locator('.toast', { hasText: 'Cancelled: Grace Hopwood' }).waitFor({ timeout: 5000 });
    await row.getByText('Cancelled').waitFor();
    await morePlayedThan(page, afterBooking);

    // A second booking, so the screenshots show a live agenda with both states.
    const other = await client(hub).post<Appointment>(
      '/v1/appointments',
      { doctorId, start: new Date(Date.parse(start) + 30 * MINUTE).toISOString(), reason: 'Follow-up' },
      patient.token,
    );
    expect(other.status).toBe(201);
    await agenda.getByText('Follow-up').waitFor({ timeout: 5000 });
    expect(await agenda.getByRole('listitem').count()).toBe(2);

    await expectAccessibleAtBothWidths(page, 'doctor');
  });

  it('edits weekly hours (with the server’s slots as preview), time off and the delay, at phone width', async () => {
    const { clinic, doctorId, doctor } = await scene(hub, { doctor: { minNoticeMinutes: 0 } });
    const timezone = clinic.timezone;
    const tomorrow = dateIn(1, timezone);
    const weekday = Temporal.PlainDate.from(tomorrow).dayOfWeek;
    const page = await open(PHONE);
    await signIn(page, doctor.email);

    // Seven openings (every day 08:00–18:00) become one: tomorrow's weekday, 09:00–10:00, 20 minutes.
    const opening = (n: number) => page.getByRole('group', { name: `Opening ${n}`, exact: true });
    await opening(7).waitFor();
    while ((await opening(2).count()) > 0) {
      await page.getByRole('button', { name: 'Remove opening 2', exact: true }).click();
    }
    await opening(1).getByLabel('Day').selectOption(String(weekday));
    await opening(1).getByLabel('From').fill('09:00');
    await opening(1).getByLabel('Until').fill('10:00');
    await opening(1).getByLabel('Slot (minutes)').fill('20');
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByText('Saved: the slots below are the new ones.').waitFor();
    const availability = await client(hub).get<{ rules: unknown[]; bufferMinutes: number }>(
      `/v1/doctors/${doctorId}/availability`,
    );
    expect(availability.body.rules).toEqual([
      { weekday, start: '09:00', end: '10:00', slotMinutes: 20, validFrom: null, validTo: null },
    ]);
    const preview = page.getByRole('region', { name: 'Your slots in the coming week' });
    const tomorrowLine = preview.getByText(/3 slots, 3 free · 09:00–10:00/);
    await tomorrowLine.waitFor();
    expect(await preview.getByText('no slots').count()).toBe(6);

    // A refusal is shown in an alert, field by field.
    await opening(1).getByLabel('Until').fill('08:00');
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByRole('alert').filter({ hasText: 'Opening 1, Until: must be after start' }).waitFor();
    await opening(1).getByLabel('Until').fill('10:00');

    // Time off tomorrow 09:00–09:20 (clinic time) takes one slot off the preview; deleting it gives it back.
    const timeOff = page.getByRole('region', { name: 'Time off' });
    await timeOff.getByLabel('From').fill(`${tomorrow}T09:00`);
    await timeOff.getByLabel('Until').fill(`${tomorrow}T09:20`);
    await timeOff.getByLabel('Reason (optional)').fill('Conference');
    await timeOff.getByRole('button', { name: 'Add time off' }).click();
    const offList = timeOff.getByRole('list', { name: 'Planned time off' });
    await offList.getByText('Conference').waitFor();
    await preview.getByText(/2 slots, 2 free · 09:20–10:00/).waitFor();
    const off = await client(hub).get<{ items: { start: string; end: string; reason: string }[] }>(
      `/v1/doctors/${doctorId}/time-off`,
      doctor.token,
    );
    expect(off.body.items).toHaveLength(1);
    expect(Date.parse(off.body.items[0]!.start)).toBe(
      Temporal.PlainDateTime.from(`${tomorrow}T09:00`).toZonedDateTime(timezone).epochMilliseconds,
    );
    expect(off.body.items[0]!.reason).toBe('Conference');
    await expectAccessible(page, 'doctor-editors-phone');

    await offList.getByRole('button', { name: /^Delete time off/ }).click();
    await page.getByText('No time off planned.').waitFor();
    await tomorrowLine.waitFor();
    const none = await client(hub).get<{ items: unknown[] }>(
      `/v1/doctors/${doctorId}/time-off`,
      doctor.token,
    );
    expect(none.body.items).toEqual([]);

    // Running late: the clinic's queue (what the desk and the waiting room read) has the delay.
    await page.getByLabel('Minutes late').fill('20');
    await page.getByLabel('Note for patients (optional)').fill('Emergency');
    await page.getByRole('button', { name: "I'm running late" }).click();
    await page.getByText('running 20 minutes late (Emergency)').waitFor();
    const staff = await createAccount(hub, 'staff', { clinicId: clinic.id });
    const queue = async () =>
      (
        await client(hub).get<{ doctors: { doctorId: string; delayMinutes: number; delayNote?: string }[] }>(
          `/v1/clinics/${clinic.id}/queue`,
          staff.token,
        )
      ).body.doctors.find((d) => d.doctorId === doctorId);
    expect(await queue()).toMatchObject({ delayMinutes: 20, delayNote: 'Emergency' });
    await page.getByRole('button', { name: 'On time again' }).click();
    await page.getByText('No delay is shown any more.').waitFor();
    expect((await queue())?.delayMinutes).toBe(0);
  });
});

/**
 * A doctor's page stays open all day; access tokens last minutes. When the hub drops the socket from
 * the doctor's room at the token's end (`session_expired`), the page refreshes its session and
 * rejoins, so bookings keep arriving. Here tokens last 30 s (the shortest allowed) and sessions are
 * checked every second.
 */
describe('the doctor page past the access token’s end', () => {
  const chrome = useBrowser();
  const hub = useTestHub({ ACCESS_TOKEN_TTL_SECONDS: '30', SESSION_CHECK_SECONDS: '1' });

  it('still shows a booking made after the token it signed in with has expired', async () => {
    const { doctorId, doctor } = await scene(hub, {
      clinic: { timezone: morningZone() },
      doctor: { hours: AROUND_THE_CLOCK, minNoticeMinutes: 0 },
      patients: 0,
    });
    const { context, page } = await openPage(chrome.browser, `${hub.url}/doctor`);
    page.setDefaultTimeout(10_000);
    await signIn(page, doctor.email);
    await page.getByText('No appointments today.').waitFor();
    await page.getByText('Offline').waitFor({ state: 'detached' });
    const signedInAt = Date.now();

    // Past the token's 30 s and the next session check: the page has been dropped and has come back.
    await new Promise((resolve) => setTimeout(resolve, 33_000 - (Date.now() - signedInAt)));
    await page.getByText('Offline').waitFor({ state: 'detached' });
    // A patient with a token of now (the tokens minted at set-up have expired too).
    const patient = await createAccount(hub, 'patient', { name: 'Linus Latecomer' });
    const res = await client(hub).post<Appointment>(
      '/v1/appointments',
      { doctorId, start: new Date(slotOf(Date.now()) + 60 * MINUTE).toISOString() },
      patient.token,
    );
    expect(res.status).toBe(201);
    await page.locator('.toast', { hasText: 'New booking: Linus Latecomer' }).waitFor({ timeout: 5000 });
    await page.getByRole('list', { name: "Today's appointments" }).getByText('Linus Latecomer').waitFor();
    await context.close();
  }, 60_000);
});
