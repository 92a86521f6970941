import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookSlot, type SlotView } from '../helpers/booking.js';
import {
  client,
  createAccount,
  createDoctor,
  TEST_PASSWORD,
  type TestAccount,
  useTestHub,
} from '../helpers/harness.js';
import { icsEvents } from '../helpers/ics.js';
import { scene } from '../helpers/scene.js';

/** Calendars for the people of an appointment, a doctor's private feed, and the admin queue dashboard. */

interface Fetched {
  status: number;
  type: string;
  text: string;
  headers: Headers;
}

async function fetchText(url: string, authorization?: string): Promise<Fetched> {
  const res = await fetch(url, { headers: authorization ? { authorization } : {} });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
    headers: res.headers,
  };
}

/** The VEVENTs of an iCalendar text: what the calendars here are compared by. */
const eventsOf = (ics: string) =>
  icsEvents(ics).map(({ uid, start, end, summary }) => ({ uid, start, end, summary }));

describe('appointment calendars and the doctor feed', () => {
  const hub = useTestHub();
  let doctorId: string;
  let doctor: TestAccount;
  /** A colleague at the same clinic, with no hours. */
  let other: { id: string; account: TestAccount };
  let ann: TestAccount;
  let ben: TestAccount;
  let free: SlotView[];

  beforeAll(async () => {
    const cast = await scene(hub, {
      clinic: { name: 'Calendar Clinic' },
      doctor: { name: 'Dr. Ical' },
      patients: ['Ann Ics', 'Ben Ics'],
      daysAhead: 5,
    });
    ({ doctorId, doctor, free } = cast);
    [ann, ben] = cast.patients;
    const colleague = await createDoctor(hub, cast.clinic.id);
    other = { id: colleague.doctor.id, account: colleague.account };
  });

  /** The patient books the slot (which must succeed); the appointment's id. */
  const book = async (patient: TestAccount, slot: SlotView, reason?: string) =>
    (await bookSlot(hub, patient, doctorId, slot.start, reason)).id;

  it('gives the patient and the doctor the same single event, and nobody else any', async () => {
    const slot = free[0]!;
    const id = await book(ann, slot, 'recurring migraine');
    const path = `${hub.url}/v1/appointments/${id}/calendar.ics`;

    const forPatient = await fetchText(path, `Bearer ${ann.token}`);
    expect(forPatient.status).toBe(200);
    expect(forPatient.type).toMatch(/^text\/calendar/);
    const [event] = eventsOf(forPatient.text);
    expect(eventsOf(forPatient.text)).toHaveLength(1);
    expect(event).toMatchObject({
      uid: `${id}@booking-hub`,
      start: Date.parse(slot.start),
      end: Date.parse(slot.end),
    });
    expect(event!.summary).toContain('Dr. Ical');
    expect(forPatient.text).not.toContain('migraine'); // no health data in calendars

    const forDoctor = await fetchText(path, `Bearer ${doctor.token}`);
    expect(forDoctor.status).toBe(200);
    expect(eventsOf(forDoctor.text)).toEqual([event]);
    expect(eventsOf((await fetchText(path, `Bearer ${ann.token}`)).text)[0]!.uid).toBe(event!.uid);

    expect((await fetchText(path, `Bearer ${ben.token}`)).status).toBe(404);
    expect((await fetchText(path, `Bearer ${other.account.token}`)).status).toBe(404);
    expect((await fetchText(path)).status).toBe(401);
  });

  it('serves a private feed of booked appointments to whoever holds the current token', async () => {
    const kept = [await book(ann, free[2]!), await book(ben, free[4]!)];
    const dropped = await book(ben, free[6]!);
    expect((await client(hub).post(`/v1/appointments/${dropped}/cancel`, {}, ben.token)).status).toBe(200);

    const issued = await client(hub).post<{ url: string }>(
      `/v1/doctors/${doctorId}/calendar-token`,
      undefined,
      doctor.token,
    );
    expect(issued.status).toBe(201);
    const feed = await fetchText(issued.body.url);
    expect(feed.status).toBe(200);
    expect(feed.type).toMatch(/^text\/calendar/);
    const uids = eventsOf(feed.text).map((e) => e.uid);
    for (const id of kept) expect(uids).toContain(`${id}@booking-hub`);
    expect(uids).not.toContain(`${dropped}@booking-hub`);

    const guessed = new URL(issued.body.url);
    guessed.searchParams.set('token', randomBytes(24).toString('base64url'));
    expect((await fetchText(guessed.toString())).status).toBe(404);
    expect((await fetchText(issued.body.url.replace(doctorId, other.id))).status).toBe(404);

    // Only the doctor (or an admin) manages the feed.
    expect(
      (await client(hub).post(`/v1/doctors/${doctorId}/calendar-token`, undefined, ann.token)).status,
    ).toBe(403);
    expect(
      (await client(hub).post(`/v1/doctors/${doctorId}/calendar-token`, undefined, other.account.token))
        .status,
    ).toBe(403);

    const reissued = await client(hub).post<{ url: string }>(
      `/v1/doctors/${doctorId}/calendar-token`,
      undefined,
      doctor.token,
    );
    expect(reissued.status).toBe(201);
    expect(reissued.body.url).not.toBe(issued.body.url);
    expect((await fetchText(issued.body.url)).status).toBe(404);
    expect((await fetchText(reissued.body.url)).status).toBe(200);

    expect((await client(hub).delete(`/v1/doctors/${doctorId}/calendar-token`, doctor.token)).status).toBe(
      204,
    );
    expect((await fetchText(reissued.body.url)).status).toBe(404);
  });
});

describe('the queue dashboard at /admin/queues', () => {
  const hub = useTestHub();
  let admin: TestAccount;
  let patient: TestAccount;

  beforeAll(async () => {
    admin = await createAccount(hub, 'admin');
    patient = await createAccount(hub, 'patient');
  });

  const basic = (email: string, password: string) =>
    `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

  it('asks anonymous browsers to log in and turns away everyone but admins', async () => {
    const anonymous = await fetchText(`${hub.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await fetchText(`${hub.url}/admin/queues`, `Bearer ${patient.token}`)).status).toBe(401);
    expect((await fetchText(`${hub.url}/admin/queues`, basic(patient.email, TEST_PASSWORD))).status).toBe(
      401,
    );
    expect((await fetchText(`${hub.url}/admin/queues`, basic(admin.email, 'not the password'))).status).toBe(
      401,
    );
    expect((await fetchText(`${hub.url}/admin/queues/api/queues`)).status).toBe(401);
  });

  it('shows admins the dashboard with Basic credentials or a bearer token', async () => {
    const withPassword = await fetchText(`${hub.url}/admin/queues`, basic(admin.email, TEST_PASSWORD));
    expect(withPassword.status).toBe(200);
    expect(withPassword.type).toMatch(/^text\/html/);
    const withToken = await fetchText(`${hub.url}/admin/queues`, `Bearer ${admin.token}`);
    expect(withToken.status).toBe(200);
    expect(withToken.type).toMatch(/^text\/html/);
  });
});
