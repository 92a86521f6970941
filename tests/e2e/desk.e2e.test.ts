import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../helpers/booking.js';
import {
  expectAccessible,
  expectAccessibleAtBothWidths,
  openPage,
  PHONE,
  screenshot,
  signIn,
  useBrowser,
} from '../helpers/browser.js';
import { deskScene, doctorQueue, MINUTE, pastAppointment, slotOf } from '../helpers/front-desk.js';
import { client, type TestHub, useTestHub } from '../helpers/harness.js';

/** Waits until `check` holds, polling (what a nurse sees settles within a moment of a click). */
async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  ms = 5000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The row of `name` in one of a doctor's lists on the desk page. */
const rowOf = (list: Locator, name: string) => list.getByRole('listitem').filter({ hasText: name });

/**
 * The front desk in a real Chromium, signed in through its own form: it checks patients in, creates a
 * waiting-room screen whose board follows (tickets only), calls the next patient, takes walk-ins and
 * phone bookings, declares delays and rooms, records no-shows; every step is what the API then says.
 */
describe('the front desk page', () => {
  const chrome = useBrowser();
  const hub = useTestHub();

  it('runs a morning: check-in to the display, call next, walk-in, phone booking, room, delay, no-show', async () => {
    const names = ['Annabel Quixote', 'Bartholomew Zed', 'Cordelia Vane', 'Dorian Gray'] as const;
    const { clinic, doctorId, desk, patients } = await deskScene(hub, names);
    const api = client(hub);
    const doctorName = (await api.get<{ name: string }>(`/v1/doctors/${doctorId}`)).body.name;
    const base = slotOf(Date.now()) + 120 * MINUTE;
    // Annabel, Bartholomew and Dorian booked themselves for later today.
    const ids: Record<string, string> = {};
    for (const [i, at] of [
      [0, 0],
      [1, 30],
      [3, 60],
    ] as const) {
      const res = await api.post<Appointment>(
        '/v1/appointments',
        { doctorId, start: new Date(base + at * MINUTE).toISOString(), reason: `reason of ${names[i]}` },
        patients[i].token,
      );
      expect(res.status).toBe(201);
      ids[names[i]] = res.body.id;
    }
    // Cordelia was due an hour ago and has not come.
    const missed = await pastAppointment(hub, doctorId, patients[2].id, slotOf(Date.now()) - 60 * MINUTE);
    const queue = () => doctorQueue(hub, desk, clinic.id, doctorId);

    // Signed out: the sign-in form, accessible.
    const { page } = await openPage(chrome.browser, `${hub.url}/desk`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'desk-signed-out');
    await signIn(page, desk.email);
    const card = page.getByRole('region', { name: doctorName });
    const waiting = card.getByRole('list', { name: `Waiting for ${doctorName}` });
    const expected = card.getByRole('list', { name: `Expected for ${doctorName}` });
    await expected.getByRole('button', { name: 'Check in Annabel Quixote' }).waitFor();

    // A waiting-room screen, created on the page; its link opens the board in another browser.
    const screens = page.getByRole('region', { name: 'Waiting-room screens' });
    await screens.getByLabel('Screen name').fill('Waiting room TV');
    await screens.getByRole('button', { name: 'Create screen link' }).click();
    const href = await screens.getByRole('link', { name: /Open the screen/ }).getAttribute('href');
    expect(href).toMatch(new RegExp(`^/display/${clinic.id}\\?token=`));
    const { page: board } = await openPage(chrome.browser, `${hub.url}${href}`);
    await board.getByRole('heading', { name: 'Now calling' }).waitFor();

    // Check in by clicking: the board shows the ticket, the desk shows her waiting with it.
    await expected.getByRole('button', { name: 'Check in Annabel Quixote' }).click();
    await board.getByText('A-001').waitFor({ timeout: 5000 });
    await rowOf(waiting, 'Annabel Quixote').getByText('A-001').waitFor({ timeout: 5000 });
    expect(await rowOf(expected, 'Annabel Quixote').count()).toBe(0);
    expect((await queue()).waiting.map((w) => [w.patientName, w.ticket])).toEqual([
      ['Annabel Quixote', 'A-001'],
    ]);

    // A walk-in through the form: in the line with the next ticket.
    const walkIn = page.getByRole('region', { name: 'Walk-in' });
    await walkIn.getByLabel('Name').fill('Wally Walkin');
    await walkIn.getByLabel('Phone').fill('+44 20 7946 0000');
    await walkIn.getByRole('button', { name: 'Add walk-in' }).click();
    const wally = rowOf(waiting, 'Wally Walkin');
    await wally.getByText('A-002').waitFor({ timeout: 5000 });
    await wally.getByText('Walk-in').waitFor();
    await board.getByText('A-002').waitFor({ timeout: 5000 });
    const line = await queue();
    const wallyEntry = line.waiting.find((w) => w.patientName === 'Wally Walkin');
    expect(wallyEntry).toMatchObject({ ticket: 'A-002', walkIn: true });

    // The room, through the page; then call next: the board calls A-001 to that room.
    await card.getByText('Delay and room').click();
    await card.getByLabel('Room', { exact: true }).fill('Room 3');
    await card.getByRole('button', { name: `Set room for ${doctorName}` }).click();
    await card.getByText('Room 3', { exact: true }).waitFor();
    const firstInLine = line.waiting[0]!;
    await card.getByRole('button', { name: `Call next for ${doctorName}` }).click();
    const calling = board.getByRole('region', { name: 'Now calling' });
    await calling.getByText(`${firstInLine.ticket} → Room 3`).waitFor({ timeout: 5000 });
    await card.getByRole('button', { name: `Complete ${firstInLine.patientName}` }).waitFor();
    expect((await queue()).current?.ticket).toBe(firstInLine.ticket);

    // Calling again while someone is inside: the API's 409 doctor_busy, said on the page.
    await card.getByRole('button', { name: `Call next for ${doctorName}` }).click();
    await card.getByRole('alert').filter({ hasText: 'complete that consultation first' }).waitFor();

    // A declared delay reaches the board (the note does not).
    await card.getByLabel('Running late by (minutes)').fill('20');
    await card.getByLabel('Note').fill('emergency upstairs');
    await card.getByRole('button', { name: `Declare delay for ${doctorName}` }).click();
    await board.getByText(`${doctorName} is running 20 minutes late.`).waitFor({ timeout: 5000 });
    await card.getByText('20 min late — emergency upstairs').waitFor();

    // A phone caller booked into the first free time: expected today, with a Check in button.
    const phone = page.getByRole('region', { name: 'Phone booking' });
    await phone.getByLabel('Time').locator('option').first().waitFor({ state: 'attached' });
    await phone.getByLabel('Name').fill('Pat Caller');
    await phone.getByLabel('Phone').fill('+61 400 111 222');
    await phone.getByRole('button', { name: 'Book' }).click();
    await phone.getByText(/Booked: Pat Caller/).waitFor({ timeout: 5000 });
    await expected.getByRole('button', { name: 'Check in Pat Caller' }).waitFor({ timeout: 5000 });

    // The consultation ends; the board calls nobody; the missed patient is a no-show (asked twice).
    await card.getByRole('button', { name: `Complete ${firstInLine.patientName}` }).click();
    await card.getByText('Nobody is in with').waitFor({ timeout: 5000 });
    await calling.getByText(`${firstInLine.ticket} → Room 3`).waitFor({ state: 'detached', timeout: 5000 });
    await expected.getByRole('button', { name: 'No-show Cordelia Vane' }).click();
    await expected.getByRole('button', { name: 'Confirm no-show for Cordelia Vane' }).click();
    await expected.getByRole('button', { name: 'Check in Cordelia Vane' }).waitFor({ state: 'detached' });
    const after = await eventually(queue, (q) => q.done === 1, 'done count');
    expect(after.expected.map((e) => e.appointmentId)).not.toContain(missed);
    expect((await api.get<Appointment>(`/v1/appointments/${missed}`, desk.token)).body.status).toBe(
      'no_show',
    );

    // The next patient goes in, the phone caller arrives: a desk in full swing, for the last checks.
    await card.getByRole('button', { name: `Call next for ${doctorName}` }).click();
    await card.getByRole('button', { name: 'Complete Annabel Quixote' }).waitFor({ timeout: 5000 });
    await calling.getByText('A-001 → Room 3').waitFor({ timeout: 5000 });
    await expected.getByRole('button', { name: 'Check in Pat Caller' }).click();
    await rowOf(waiting, 'Pat Caller').getByText('A-003').waitFor({ timeout: 5000 });
    await board.getByText('A-003').waitFor({ timeout: 5000 });

    // Another desk checks Dorian in (the API): this page, its own requests settled, follows through
    // the socket alone.
    await page.waitForLoadState('networkidle');
    const other = await api.post(`/v1/appointments/${ids['Dorian Gray']}/check-in`, {}, desk.token);
    expect(other.status).toBe(200);
    await rowOf(waiting, 'Dorian Gray').getByText('A-004').waitFor({ timeout: 5000 });
    expect(await rowOf(expected, 'Dorian Gray').count()).toBe(0);

    // The board holds tickets only: nobody's name, id, email or reason anywhere in its DOM.
    const dom = await board.content();
    const people = [
      ...patients.map((p, i) => ({ name: names[i]!, id: p.id, email: p.email })),
      { name: 'Wally Walkin', id: await patientIdOf(hub, 'Wally Walkin'), email: '' },
      { name: 'Pat Caller', id: await patientIdOf(hub, 'Pat Caller'), email: '' },
    ];
    for (const p of people) {
      for (const part of [p.name, ...p.name.split(' '), p.id, p.email, `reason of ${p.name}`]) {
        if (part) expect(dom).not.toContain(part);
      }
    }
    expect(dom).not.toContain('emergency upstairs');

    // Signed in with a queue: accessible, and as it looks on a desktop and a phone (notices gone).
    await eventually(
      () => page.locator('.toast').count(),
      (n) => n === 0,
      'notices',
      10_000,
    );
    await expectAccessibleAtBothWidths(page, 'desk');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await screenshot(board, 'desk-display');
  }, 120_000);
});

async function patientIdOf(hub: TestHub, name: string): Promise<string> {
  const [row] = await hub.sql<{ id: string }[]>`select id from users where name = ${name}`;
  return row!.id;
}
