import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { insertAppointments } from '../helpers/analytics.js';
import { expectAccessible, openPage, signIn, useBrowser } from '../helpers/browser.js';
import { createAccount, createClinic, useTestHub } from '../helpers/harness.js';
import { doctorWithHours } from '../helpers/scene.js';

const TZ = 'Europe/Berlin';

/** Local 10:00 `daysAgo` days back in Berlin, as an instant, and 30 minutes later. */
function tenOClock(daysAgo: number) {
  const start = Temporal.Now.plainDateISO(TZ)
    .subtract({ days: daysAgo })
    .toZonedDateTime({ timeZone: TZ, plainTime: Temporal.PlainTime.from('10:00') });
  return { start: start.toInstant().toString(), end: start.add({ minutes: 30 }).toInstant().toString() };
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFile((await download.path())!, 'utf8');
}

/**
 * The analytics on the doctor's page (their own) and on the admin page (a clinic's, with a row per
 * doctor, and the research export), in a real Chromium against a real hub with a few past visits.
 */
describe('analytics pages', () => {
  const chrome = useBrowser();
  const hub = useTestHub();

  it("a doctor reads their last 30 days (figures, chart with its table, heatmap, CSV); an admin reads the clinic's and downloads the research export", async () => {
    const clinic = await createClinic(hub, { name: 'Praxis Analytica', timezone: TZ });
    const doctor = await doctorWithHours(hub, clinic.id, { name: 'Dr. Ida Count' });
    const [p1, p2, p3] = await Promise.all([1, 2, 3].map(() => createAccount(hub, 'patient')));
    const base = { doctorId: doctor.id, clinicId: clinic.id };
    const at = (daysAgo: number) => ({ ...tenOClock(daysAgo), createdAt: tenOClock(daysAgo + 5).start });
    await insertAppointments(hub, [
      { ...base, ...at(3), patientId: p1!.id, status: 'completed' },
      { ...base, ...at(2), patientId: p2!.id, status: 'completed' },
      { ...base, ...at(1), patientId: p3!.id, status: 'no_show' },
      {
        ...base,
        ...at(4),
        patientId: p3!.id,
        status: 'cancelled',
        cancelledBy: p3!.id,
        cancelledAt: tenOClock(6).start,
      },
    ]);

    // The doctor.
    const { context, page } = await openPage(chrome.browser, `${hub.url}/doctor`);
    page.setDefaultTimeout(10_000);
    await signIn(page, doctor.account.email);
    const panel = page.getByRole('region', { name: 'Analytics' });
    const figure = (term: string) =>
      panel.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd');
    await figure('Bookings').getByText('4', { exact: true }).waitFor();
    expect(await figure('No-show rate').textContent()).toBe('33.3 % (1)'); // 1 of 3 with an outcome
    expect(await figure('Patients').textContent()).toBe('3 new, 0 returning');
    expect(await figure('Revenue').textContent()).toMatch(/100[.,]00/);
    await panel.getByText('Bookings per day: 4 from').waitFor();
    await panel.getByText('Daily figures as a table').click();
    const daily = panel.getByRole('table', { name: 'Appointments per day' });
    expect(await daily.locator('tbody tr').count()).toBe(4);
    const heat = panel.getByRole('table', { name: /weekday and starting hour/ });
    expect(await heat.getByRole('columnheader', { name: '10' }).count()).toBe(1);
    await expectAccessible(page, 'doctor-analytics');
    const csv = await downloaded(page, () => panel.getByRole('button', { name: 'Download CSV' }).click());
    const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('utilization');
    expect(row).toContain('Dr. Ida Count');
    await context.close();

    // The admin: the clinic with a row per doctor, and the research export.
    const admin = await createAccount(hub, 'admin');
    const adminPage = await openPage(chrome.browser, `${hub.url}/admin`);
    const a = adminPage.page;
    a.setDefaultTimeout(10_000);
    await signIn(a, admin.email);
    const section = a.getByRole('region', { name: 'Analytics' });
    const perDoctor = section.getByRole('table', { name: 'Per doctor' });
    await perDoctor.getByRole('rowheader', { name: 'Dr. Ida Count' }).waitFor();
    const research = a.getByRole('region', { name: 'Research export' });
    await research.getByRole('button', { name: 'Preview' }).click();
    await research
      .getByRole('status')
      .getByText(/cells released, \d+ withheld \(k = 10\)/)
      .waitFor();
    await expectAccessible(a, 'admin-analytics');
    const file = JSON.parse(
      await downloaded(a, () => research.getByRole('button', { name: 'Download research export' }).click()),
    ) as { dictionary: { column: string }[]; cells: unknown[] };
    expect(file.dictionary.map((d) => d.column)).toContain('specialty');
    expect(file.cells).toEqual([]); // three patients: every cell is under k
    await adminPage.context.close();
  });
});
