import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { CalendarEntry } from './ics.js';
import { toIcs } from './ics.js';

export interface Mailer {
  send(m: {
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
    ics?: string;
  }): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer; the Message-ID is the ledger id, so a receiver can spot a resend. */
export function createMailer(smtp: { url: string; from: string }): Mailer {
  // Timeouts well under DELIVERY_LEASE_SECONDS (default 120 s): a send never outlives its lease.
  const url = new URL(smtp.url);
  for (const [name, ms] of [
    ['connectionTimeout', 10_000],
    ['greetingTimeout', 10_000],
    ['socketTimeout', 30_000],
  ] as const) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(m) {
      await transport.sendMail({
        from: smtp.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<${m.messageId}@booking-hub>`,
        ...(m.ics
          ? {
              attachments: [
                {
                  filename: 'appointment.ics',
                  content: m.ics,
                  contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
                },
              ],
            }
          : {}),
      });
    },
    close: () => transport.close(),
  };
}

export interface ReminderContent {
  appointmentId: string;
  patientName: string;
  doctorName: string;
  clinicName: string;
  clinicAddress: string;
  timezone: string;
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** One formatter per zone: building an Intl.DateTimeFormat is far dearer than using one. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "2026-12-01 09:30 (Europe/Berlin, UTC+01:00)": the same in every language, in the clinic's zone. */
export function localWhen(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  );
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', 'UTC') || 'UTC';
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone}, ${offset === 'UTC' ? 'UTC+00:00' : offset})`;
}

/** Text made safe to put inside HTML. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function calendarEntry(c: ReminderContent): CalendarEntry {
  return {
    id: c.appointmentId,
    start: c.start,
    end: c.end,
    status: 'booked',
    summary: `Appointment with ${c.doctorName}`,
    location: `${c.clinicName}, ${c.clinicAddress}`,
    description: `Appointment ${c.appointmentId}`,
  };
}

/** Subject, plain text, HTML and the .ics of a reminder. */
export function renderReminder(c: ReminderContent) {
  const when = localWhen(c.start, c.timezone);
  const subject = `Reminder: appointment with ${c.doctorName} on ${when}`;
  const lines = [
    `Hello ${c.patientName},`,
    '',
    `This is a reminder of your appointment:`,
    `  Doctor: ${c.doctorName}`,
    `  When:   ${when}`,
    `  Where:  ${c.clinicName}, ${c.clinicAddress}`,
    '',
    'If you cannot come, please cancel or reschedule in the app.',
  ];
  const html =
    `<p>Hello ${escapeHtml(c.patientName)},</p><p>This is a reminder of your appointment:</p>` +
    `<ul><li>Doctor: ${escapeHtml(c.doctorName)}</li><li>When: ${escapeHtml(when)}</li>` +
    `<li>Where: ${escapeHtml(`${c.clinicName}, ${c.clinicAddress}`)}</li></ul>` +
    '<p>If you cannot come, please cancel or reschedule in the app.</p>';
  return { subject, text: lines.join('\n'), html, ics: toIcs('Appointment', [calendarEntry(c)]) };
}

/** A short plain message (a cancellation) as an email, its HTML the escaped text. */
export function plainMail(to: string, subject: string, text: string) {
  const html = `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;
  return { to, subject, text, html, messageId: `notice-${randomUUID()}` };
}

/** The password-reset email: the link, and what to do if it was not you. */
export function resetMail(to: string, link: string) {
  const escaped = link.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    to,
    subject: 'Reset your booking-hub password',
    text: `Someone asked to reset the password of this account. To choose a new one, open:\n\n${link}\n\nThe link works once, for one hour. If it was not you, ignore this email.`,
    html: `<p>Someone asked to reset the password of this account.</p><p><a href="${escaped}">Choose a new password</a></p><p>The link works once, for one hour. If it was not you, ignore this email.</p>`,
    messageId: `reset-${randomUUID()}`,
  };
}
