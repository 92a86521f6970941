import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../helpers/booking.js';
import { deskScene, MINUTE, slotOf } from '../helpers/front-desk.js';
import { client, startTestHub, type TestAccount, type TestHub } from '../helpers/harness.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

interface Notice {
  kind: string;
  title: string;
  body: string;
  data: { appointmentId?: string; estimatedStart?: string };
}

/**
 * Patients waiting or expected hear of a new estimated start once it has moved 10 minutes or more from
 * what they were last told (or from their slot) — one notice per such move, never one per change, and
 * none for someone already inside or done. In-app, and by email when SMTP is set.
 */
describe('estimate notices when the doctor runs late', () => {
  let hub: TestHub;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    hub = await startTestHub({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await hub.close();
    await smtp.close();
  });

  it('one notice per patient per 10-minute move, by app and email, none for the patient already done', async () => {
    const api = client(hub);
    const { doctorId, desk, patients } = await deskScene(hub, ['Ann', 'Ben', 'Cat']);
    const [ann, ben, cat] = patients;
    const base = slotOf(Date.now()) + 120 * MINUTE;
    const book = async (who: TestAccount, start: number) => {
      const res = await api.post<Appointment>(
        '/v1/appointments',
        { doctorId, start: new Date(start).toISOString() },
        who.token,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const annId = await book(ann, base);
    const benId = await book(ben, base + 30 * MINUTE);
    // Cat was seen first, through the desk, and is done before any delay is declared.
    const catId = await book(cat, base + 60 * MINUTE);
    for (const step of ['check-in', 'start', 'complete'])
      expect((await api.post(`/v1/appointments/${catId}/${step}`, {}, desk.token)).status).toBe(200);

    const notices = async (who: TestAccount) =>
      (await api.get<{ items: Notice[] }>('/v1/notifications', who.token)).body.items.filter(
        (n) => n.kind === 'queue.estimate',
      );
    const delay = async (minutes: number) => {
      const res = await api.post(`/v1/doctors/${doctorId}/delay`, { minutes, note: 'emergency' }, desk.token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const estimates = async (who: TestAccount) =>
      (await notices(who)).map((n) => Date.parse(n.data.estimatedStart!));

    await delay(5);
    expect(await notices(ann)).toEqual([]);
    await delay(12);
    expect(await estimates(ann)).toEqual([base + 12 * MINUTE]);
    expect(await estimates(ben)).toEqual([base + 42 * MINUTE]);
    // 15 is 3 minutes from what they were told (12): no one hears of it.
    await delay(15);
    expect(await estimates(ann)).toHaveLength(1);
    // 25 is 13 minutes from 12: a second notice each, with the new time.
    await delay(25);
    expect((await estimates(ann)).sort()).toEqual([base + 12 * MINUTE, base + 25 * MINUTE]);
    expect((await estimates(ben)).sort()).toEqual([base + 42 * MINUTE, base + 55 * MINUTE]);
    // Back to no delay: 25 minutes earlier than told, so they hear that too.
    await delay(0);
    expect(await estimates(ann)).toHaveLength(3);
    expect((await notices(ann))[0]!.title).toMatch(/earlier/);
    expect(await notices(cat)).toEqual([]);
    expect((await notices(ann)).every((n) => n.data.appointmentId === annId)).toBe(true);
    expect((await notices(ben)).every((n) => n.data.appointmentId === benId)).toBe(true);

    // Each in-app notice went out by email too, to its patient only.
    const mails = await smtp.waitFor(6, 10_000);
    const to = (m: (typeof mails)[number]) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text;
    expect(mails.filter((m) => to(m) === ann.email)).toHaveLength(3);
    expect(mails.filter((m) => to(m) === ben.email)).toHaveLength(3);
    expect(mails.some((m) => to(m) === cat.email)).toBe(false);
  });
});
