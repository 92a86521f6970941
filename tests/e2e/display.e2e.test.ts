import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../helpers/booking.js';
import { expectAccessibleAtBothWidths, openPage, screenshot, useBrowser } from '../helpers/browser.js';
import { deskScene, MINUTE, slotOf } from '../helpers/front-desk.js';
import { client, startTestHub, type TestAccount, type TestHub } from '../helpers/harness.js';

/**
 * The waiting-room screen in a real Chromium: it shows tickets as the desk checks patients in, never a
 * name, and keeps going across a restart of the hub (it reconnects and resyncs what it missed).
 */
describe('the waiting-room display', () => {
  const chrome = useBrowser();
  // Fixed secrets, so a second hub on the same database and port accepts the same tokens.
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  let hub: TestHub;
  afterAll(() => hub?.close());

  it('shows each ticket the desk hands out, no name anywhere, and survives a hub restart', async () => {
    hub = await startTestHub(secrets, { keepDatabase: true });
    const names = ['Annabel Quixote', 'Bartholomew Zed', 'Cordelia Vane'] as const;
    const { clinic, doctorId, desk, patients } = await deskScene(hub, names);
    const base = slotOf(Date.now()) + 120 * MINUTE;
    const ids: string[] = [];
    for (const [i, p] of patients.entries()) {
      const res = await client(hub).post<Appointment>(
        '/v1/appointments',
        { doctorId, start: new Date(base + i * 30 * MINUTE).toISOString(), reason: `reason of ${names[i]}` },
        p.token,
      );
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const token = await client(hub).post<{ token: string; url: string }>(
      `/v1/clinics/${clinic.id}/display-tokens`,
      { label: 'Waiting room' },
      desk.token,
    );
    expect(token.body.url).toBe(`/display/${clinic.id}?token=${token.body.token}`);
    const { page } = await openPage(chrome.browser, `${hub.url}${token.body.url}`);
    await page.getByRole('heading', { name: 'Now calling' }).waitFor();
    await screenshot(page, 'display-empty-desktop');

    const checkIn = (h: TestHub, who: TestAccount, id: string) =>
      client(h)
        .post(`/v1/appointments/${id}/check-in`, {}, desk.token)
        .then((r) => {
          expect(r.status, `${who.email}: ${JSON.stringify(r.body)}`).toBe(200);
        });
    const started = Date.now();
    await checkIn(hub, patients[0], ids[0]!);
    await page.getByText('A-001').waitFor({ timeout: 5000 });
    const seenAfter = Date.now() - started;
    await client(hub).put(`/v1/doctors/${doctorId}/room`, { room: 'Room 3' }, desk.token);
    await client(hub).post(`/v1/doctors/${doctorId}/call-next`, {}, desk.token);
    await page.getByText('A-001 → Room 3').waitFor({ timeout: 5000 });

    // The hub goes away: the screen says it is offline; a new hub on the same port and database comes
    // back and checks a patient in at once, before the screen has reconnected: resync brings it.
    const port = new URL(hub.url).port;
    await hub.close();
    await page.getByText('Offline').waitFor({ timeout: 10_000 });
    hub = await startTestHub({ ...secrets, PORT: port }, { database: hub.database });
    await checkIn(hub, patients[1], ids[1]!);
    await page.getByText('A-002').waitFor({ timeout: 15_000 });
    await page.getByText('Offline').waitFor({ state: 'detached', timeout: 10_000 });
    await checkIn(hub, patients[2], ids[2]!);
    await page.getByText('A-003').waitFor({ timeout: 5000 });

    const dom = await page.content();
    for (const [i, name] of names.entries()) {
      for (const part of [name, ...name.split(' '), patients[i]!.id, patients[i]!.email, `reason of ${name}`])
        expect(dom).not.toContain(part);
    }
    await expectAccessibleAtBothWidths(page, 'display');
    expect(seenAfter).toBeLessThan(5000);
  });
});
