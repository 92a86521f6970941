import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Appointment, AROUND_THE_CLOCK, setAvailability } from '../helpers/booking.js';
import {
  expectAccessible,
  expectAccessibleAtBothWidths,
  openPage,
  signIn,
  useBrowser,
} from '../helpers/browser.js';
import { MINUTE, slotOf } from '../helpers/front-desk.js';
import { client, createAccount, TEST_PASSWORD, useTestHub } from '../helpers/harness.js';

interface Doctor {
  id: string;
  name: string;
  feeCents: number;
  currency: string;
  languages: string[];
  specialties: { slug: string }[];
  clinic: { id: string };
}

/**
 * The admin page in a real Chromium, against a real hub: an administrator sets up a clinic, a doctor,
 * a front-desk account and a webhook through the page, and the API then has each of them.
 */
describe('the admin page', () => {
  const chrome = useBrowser();
  // The webhook receiver is on this machine: private targets are allowed for this hub only.
  const hub = useTestHub({ ALLOW_PRIVATE_WEBHOOKS: 'on', WEBHOOK_BACKOFF_MS: '200' });
  let receiver: Server;
  const received: string[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(String(req.headers['x-bookinghub-event']));
      req.resume();
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('creates a clinic, a doctor, a front-desk account and a webhook; lists and API agree', async () => {
    const admin = await createAccount(hub, 'admin', { name: 'Ada Admin' });
    const { context, page } = await openPage(chrome.browser, `${hub.url}/admin`);
    page.setDefaultTimeout(10_000);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'admin-signin-desktop');
    await signIn(page, admin.email);

    // A clinic.
    const clinics = page.getByRole('region', { name: 'Clinics' });
    await clinics.getByText('No clinics yet.').waitFor();
    await clinics.getByLabel('Clinic name').fill('Lindenhof Praxis');
    await clinics.getByLabel('Street address').fill('Lindenstraße 12');
    await clinics.getByLabel('City').fill('Berlin');
    await clinics.getByLabel('Time zone').selectOption('Europe/Berlin');
    await clinics.getByLabel('Latitude').fill('52.5');
    await clinics.getByLabel('Longitude').fill('13.4');
    await clinics.getByRole('button', { name: 'Add clinic' }).click();
    await clinics.getByRole('list', { name: 'Clinics' }).getByText('Lindenhof Praxis').waitFor();
    const listed = await client(hub).get<{ items: { id: string; name: string; timezone: string }[] }>(
      '/v1/clinics',
    );
    const clinic = listed.body.items.find((c) => c.name === 'Lindenhof Praxis');
    expect(clinic?.timezone).toBe('Europe/Berlin');

    // Its phone number, changed through the edit form.
    await clinics.getByRole('button', { name: 'Edit Lindenhof Praxis' }).click();
    const edit = clinics.getByRole('form', { name: 'Edit Lindenhof Praxis' });
    await edit.getByLabel('Phone (optional)').fill('+49 30 1234567');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await clinics.getByText('+49 30 1234567').waitFor();
    expect((await client(hub).get(`/v1/clinics/${clinic!.id}`)).body.phone).toBe('+49 30 1234567');

    // A doctor at it: the account, then the profile.
    const doctors = page.getByRole('region', { name: 'Doctors' });
    expect(await doctors.getByLabel('Clinic').inputValue()).toBe(clinic!.id);
    const doctorEmail = `mira.${Date.now()}@example.com`;
    await doctors.getByLabel('Full name').fill('Dr. Mira Sandoval');
    await doctors.getByLabel('Email').fill(doctorEmail);
    await doctors.getByLabel('Temporary password').fill(TEST_PASSWORD);
    await doctors.getByLabel('Fee').fill('65.50');
    await doctors.getByLabel('Currency').fill('EUR');
    await doctors.getByLabel('Languages').fill('en, es');
    // No specialty yet: the API's refusal is shown, field by field.
    await doctors.getByRole('button', { name: 'Add doctor' }).click();
    await doctors.getByRole('alert').filter({ hasText: 'Specialties' }).waitFor();
    await doctors.getByLabel('General practice').check();
    await doctors.getByLabel('Pediatrics').check();
    await doctors.getByRole('button', { name: 'Add doctor' }).click();
    await doctors
      .getByRole('list', { name: 'Doctors at Lindenhof Praxis' })
      .getByText('Dr. Mira Sandoval')
      .waitFor();
    await doctors.getByRole('status').filter({ hasText: 'Dr. Mira Sandoval was added' }).waitFor();
    const found = await client(hub).get<{ items: Doctor[] }>(`/v1/doctors?clinicId=${clinic!.id}`);
    expect(found.body.items).toHaveLength(1);
    const doctor = found.body.items[0]!;
    expect(doctor).toMatchObject({
      name: 'Dr. Mira Sandoval',
      feeCents: 6550,
      currency: 'EUR',
      languages: ['en', 'es'],
    });
    expect(doctor.specialties.map((s) => s.slug).sort()).toEqual(['general-practice', 'pediatrics']);
    const search = await client(hub).get<{ items: Doctor[] }>('/v1/doctors?q=Sandoval');
    expect(search.body.items.map((d) => d.id)).toEqual([doctor.id]);
    // The doctor signs in with what the admin typed, and is that profile.
    const login = await client(hub).post<{ user: { doctorId: string } }>('/v1/auth/login', {
      email: doctorEmail,
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body.user.doctorId).toBe(doctor.id);

    // A front-desk account of the clinic; both new accounts are listed as created in this session.
    const accounts = page.getByRole('region', { name: 'Front desk and admin accounts' });
    const deskEmail = `desk.${Date.now()}@example.com`;
    await accounts.getByLabel('Role').selectOption('staff');
    await accounts.getByLabel('Clinic').selectOption(clinic!.id);
    await accounts.getByLabel('Full name').fill('Dana Desk');
    await accounts.getByLabel('Email').fill(deskEmail);
    await accounts.getByLabel('Password').fill(TEST_PASSWORD);
    await accounts.getByRole('button', { name: 'Create account' }).click();
    const created = accounts.getByRole('list', { name: 'Created in this session' });
    const entry = (text: string) => created.getByRole('listitem').filter({ hasText: text });
    await entry(`Dana Desk · Front desk, Lindenhof Praxis${deskEmail}`).waitFor();
    await entry(`Dr. Mira Sandoval · Doctor, Lindenhof Praxis${doctorEmail}`).waitFor();
    const desk = await client(hub).post<{ user: { role: string; clinicId: string } }>('/v1/auth/login', {
      email: deskEmail,
      password: TEST_PASSWORD,
    });
    expect(desk.body.user).toMatchObject({ role: 'staff', clinicId: clinic!.id });

    // A webhook: its secret is shown once; a booking at the clinic shows up in its deliveries.
    const webhooks = page.getByRole('region', { name: 'Webhooks' });
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/booking-hub`;
    await webhooks.getByLabel('Endpoint URL').fill(hookUrl);
    await webhooks.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await webhooks.getByRole('textbox', { name: 'Signing secret', exact: true }).inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(20);
    await webhooks.getByRole('list', { name: 'Webhook endpoints' }).getByText(hookUrl).waitFor();
    const hooks = await client(hub).get<{ items: { url: string; events: string[] }[] }>(
      `/v1/clinics/${clinic!.id}/webhooks`,
      admin.token,
    );
    expect(hooks.body.items).toMatchObject([
      { url: hookUrl, events: expect.arrayContaining(['appointment.booked']) },
    ]);

    await setAvailability(hub, doctor.id, AROUND_THE_CLOCK);
    const patient = await createAccount(hub, 'patient');
    const booked = await client(hub).post<Appointment>(
      '/v1/appointments',
      { doctorId: doctor.id, start: new Date(slotOf(Date.now()) + 24 * 60 * MINUTE).toISOString() },
      patient.token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    await expect.poll(() => received, { timeout: 10_000 }).toContain('appointment.booked');
    await webhooks.getByRole('button', { name: `Deliveries to ${hookUrl}` }).click();
    const log = webhooks.getByRole('table', { name: `Deliveries to ${hookUrl}` });
    const row = log.getByRole('row').filter({ hasText: 'appointment.booked' });
    await row.waitFor();
    if (!(await row.textContent())?.includes('delivered')) {
      await webhooks.getByRole('button', { name: 'Refresh deliveries' }).click();
    }
    await row.filter({ hasText: 'delivered' }).filter({ hasText: '204' }).waitFor();

    await expectAccessibleAtBothWidths(page, 'admin');
    await context.close();
  });
});
