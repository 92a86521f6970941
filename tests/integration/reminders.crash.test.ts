import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSlot } from '../helpers/booking.js';
import { startTestHub, type TestAccount, type TestHub } from '../helpers/harness.js';
import { hubProcessEnv, type NodeProcess, spawnNode, waitUntil, within } from '../helpers/process.js';
import { ledgerOf, patientNamed, plan, type ReminderPlan, reminderDoctor } from '../helpers/reminders.js';

/**
 * A reminder worker dies with SIGKILL while the SMTP server is still holding its message. The job is
 * found stalled by the next worker, the ledger lease has lapsed, and the email goes out exactly once.
 */

/**
 * An SMTP server that reads the first message in full and never answers it (the sender is stuck
 * mid-DATA), and accepts every later one.
 */
async function startHoldingSmtp() {
  const accepted: ParsedMail[] = [];
  let onHeld: (held: { sessionId: string; messageId: string | undefined }) => void = () => {};
  let onAccepted: () => void = () => {};
  const closed = new Set<string>();
  let onClosed: (sessionId: string) => void = () => {};
  let holding = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      if (!holding) {
        holding = true;
        void simpleParser(stream).then((mail) =>
          onHeld({ sessionId: session.id, messageId: mail.messageId }),
        );
        return; // never answers: the message is not accepted
      }
      simpleParser(stream)
        .then((mail) => {
          accepted.push(mail);
          onAccepted();
          callback();
        })
        .catch(callback);
    },
    onClose(session) {
      closed.add(session.id);
      onClosed(session.id);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    held: (ms: number) =>
      within<{ sessionId: string; messageId: string | undefined }>(
        'held message',
        ms,
        (done) => (onHeld = done),
      ),
    sessionClosed: (sessionId: string, ms: number) =>
      within<void>(`close of SMTP session ${sessionId}`, ms, (done) => {
        onClosed = (id) => id === sessionId && done();
        if (closed.has(sessionId)) done();
      }),
    acceptedOne: (ms: number) =>
      within<void>('accepted message', ms, (done) => {
        onAccepted = done;
        if (accepted.length > 0) done();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a reminder worker killed mid-send', () => {
  let hub: TestHub;
  let smtp: Awaited<ReturnType<typeof startHoldingSmtp>>;
  let patient: TestAccount;
  let doctorId: string;
  const workers: NodeProcess[] = [];
  let p: ReminderPlan;

  /** A `--role worker` process on the test hub's database, Redis prefix and secrets. */
  function startWorker(): NodeProcess {
    const env = hubProcessEnv(hub, {
      SMTP_URL: smtp.url,
      REMINDER_OFFSETS: p.reminderOffsets,
      RECONCILE_EVERY_SECONDS: '86400',
      JOB_LOCK_MS: '1000',
      DELIVERY_LEASE_SECONDS: '1',
      JOB_BACKOFF_MS: '200',
    });
    const worker = spawnNode(['--import', 'tsx', 'src/main.ts', '--role', 'worker'], env);
    workers.push(worker);
    return worker;
  }

  beforeAll(async () => {
    smtp = await startHoldingSmtp();
    p = plan([3]);
    // This process only serves the API; the reminder is left to the worker processes below.
    hub = await startTestHub(
      { REMINDER_OFFSETS: p.reminderOffsets, RECONCILE_EVERY_SECONDS: '86400' },
      { role: 'api' },
    );
    ({ doctorId } = await reminderDoctor(hub, p));
    patient = await patientNamed(hub, 'Fay Crashproof');
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await hub?.close();
    await smtp?.close();
  });

  it('is replaced by another worker that sends the held email exactly once', {
    timeout: 60_000,
  }, async () => {
    const { id } = await bookSlot(hub, patient, doctorId, p.startMs);

    const first = startWorker();
    const held = await Promise.race([
      smtp.held(30_000),
      first
        .exited()
        .then((code) =>
          Promise.reject(new Error(`worker exited (${code}) before sending\n${first.stderr()}`)),
        ),
    ]);
    const whileHeld = await ledgerOf(hub, id);
    expect(whileHeld.map((r) => `${r.channel}/${r.status}`)).toEqual(['email/sending', 'in_app/sent']);
    expect(held.messageId).toBe(`<${whileHeld[0]!.id}@booking-hub>`);

    expect(await first.stop('SIGKILL', 10_000)).toBe('SIGKILL');
    await smtp.sessionClosed(held.sessionId, 10_000);
    expect(smtp.accepted).toHaveLength(0);

    const second = startWorker();
    await smtp.acceptedOne(40_000);
    const ledger = await waitUntil(
      'the email recorded as sent',
      async () => {
        const rows = await ledgerOf(hub, id);
        return rows.find((r) => r.channel === 'email')?.status === 'sent' ? rows : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(await second.stop('SIGTERM', 20_000)).toBe(0);

    expect(smtp.accepted.map((m) => m.messageId)).toEqual([held.messageId]);
    expect(ledger.filter((r) => r.channel === 'email')).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2 }),
    ]);
    expect(ledger.filter((r) => r.channel === 'in_app')).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 1 }),
    ]);
    const reminders =
      await hub.sql`select id from notifications where user_id = ${patient.id} and kind = 'appointment.reminder'`;
    expect(reminders).toHaveLength(1);
  });
});
