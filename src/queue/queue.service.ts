import type { Principal } from '../auth/principal.js';
import type { AppointmentService } from '../booking/appointments.service.js';
import type { AppointmentView } from '../booking/booking.schemas.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { appendEvents } from '../events/outbox.js';
import type { DisplayView, QueueView } from '../events/queue-event-data.js';
import type { Sql } from '../infra/postgres.js';
import { type Tx, transaction } from '../infra/transaction.js';
import type { ScheduleService } from '../schedule/schedule.service.js';
import { localDateOf } from '../schedule/zone-offsets.js';
import type { DayQueue } from './day-queue.js';
import * as tokens from './display-tokens.store.js';
import type { DelayInput, WalkInInput } from './queue.schemas.js';
import * as store from './queue.store.js';

import { slotMinutesOf, toDisplayView, toQueueView } from './queue-view.js';
import { walkInGap } from './walk-in-gap.js';

/** Ends the live sessions of a revoked display token (the realtime layer implements it, on every process). */
export interface DisplaySessions {
  end(tokenId: string): void;
}

/** Who is looking at a display: a display token of one clinic, or a signed-in person. */
export type DisplayViewer = { displayToken: string } | { principal: Principal };

export type QueueService = ReturnType<typeof createQueueService>;

/**
 * The front desk's day: the queue with positions and estimates, walk-ins, calling the next patient,
 * declared delays and rooms, and the waiting-room display with its tokens. Appointments change through
 * the booking use cases (same guards, constraint and events); their queue side follows in the same
 * transaction (day-queue.ts).
 */
export function createQueueService(d: {
  sql: Sql;
  schedule: ScheduleService;
  appointments: AppointmentService;
  dayQueue: DayQueue;
  displaySessions: DisplaySessions;
  publicUrl: string | undefined;
  now?: () => number;
}) {
  const { sql, schedule } = d;
  const now = d.now ?? Date.now;

  /** The clinic's staff and admins run its day; everyone else is refused. */
  function deskOf(principal: Principal, clinicId: string): void {
    if (principal.role === 'admin') return;
    if (principal.role !== 'staff' || principal.clinicId !== clinicId)
      throw forbidden("Only this clinic's front desk may do this");
  }

  /** A doctor's queue is run by the doctor, their clinic's desk, or an admin. */
  async function doctorDesk(principal: Principal, doctorId: string) {
    const s = await schedule.scheduleOf(doctorId);
    if (principal.role === 'doctor' && s.userId === principal.userId) return s;
    deskOf(principal, s.clinicId);
    return s;
  }

  async function clinicView(clinicId: string, date: string | undefined): Promise<QueueView> {
    const timezone = await store.clinicTimezone(sql, clinicId);
    const day = date ?? localDateOf(now(), timezone);
    // The revision first, then the day: data at least as new as its label. Read side by side, a change
    // committing in between labelled old data with the new revision, and clients then skipped its event.
    const revision = await store.readRevision(sql, clinicId, day);
    const clinicDay = await store.readClinicDay(sql, clinicId, day);
    if (!clinicDay) throw notFound('Clinic');
    return toQueueView(clinicDay, { date: day, revision, now: now() });
  }

  /** After a change outside any appointment (a delay, a room): the revision and the events, in one transaction. */
  async function announce(clinicId: string, doctorId: string, write: (tx: Tx) => Promise<unknown>) {
    const timezone = await store.clinicTimezone(sql, clinicId);
    const change = await transaction(sql, async (tx) => {
      await write(tx);
      const change = await d.dayQueue.update(tx, clinicId, doctorId, localDateOf(now(), timezone));
      await appendEvents(tx, change.messages);
      return change;
    });
    void change.afterCommit?.().catch(() => {});
  }

  return {
    /** The clinic's day for the desk (names, positions, estimates); `date` defaults to today there. */
    async queue(principal: Principal, clinicId: string, date?: string): Promise<QueueView> {
      deskOf(principal, clinicId);
      return clinicView(clinicId, date);
    },

    /** The waiting-room board: tickets, rooms, waits; for a display token of the clinic or its desk. */
    async display(viewer: DisplayViewer, clinicId: string): Promise<DisplayView> {
      if ('displayToken' in viewer) {
        const token = await tokens.useDisplayToken(sql, viewer.displayToken);
        if (!token) throw new AppError('unauthorized', 'This display token is unknown or revoked');
        if (token.clinicId !== clinicId) throw forbidden('This display token is for another clinic');
      } else deskOf(viewer.principal, clinicId);
      return toDisplayView(await clinicView(clinicId, undefined));
    },

    /**
     * A walk-in: an existing patient or one the desk registers now, booked into the doctor's next free
     * gap today (or after the last appointment) and checked in at once, with a ticket.
     */
    async walkIn(principal: Principal, clinicId: string, input: WalkInInput): Promise<AppointmentView> {
      deskOf(principal, clinicId);
      const s = await schedule.scheduleOf(input.doctorId);
      if (s.clinicId !== clinicId) throw notFound('Doctor');
      const today = localDateOf(now(), s.timezone);
      const { slots, booked, schedule: current } = await schedule.daySlots(input.doctorId, today);
      const lengths = slots.map((x) => ({ slotStart: x.start, slotEnd: x.end, walkIn: false }));
      const gap = walkInGap({ slots, booked }, now(), slotMinutesOf(lengths));
      const who = 'patientId' in input ? { patientId: input.patientId } : { patient: input.patient };
      return d.appointments.book(
        principal,
        {
          doctorId: input.doctorId,
          start: gap.start,
          ...who,
          ...(input.reason ? { reason: input.reason } : {}),
        },
        { ...gap, scheduleVersion: current.scheduleVersion },
      );
    },

    /**
     * Calls the first waiting patient in (in_consultation). 409 doctor_busy while someone is still
     * inside (complete them first), 409 queue_empty when nobody waits. Two desks calling at once: one
     * moves the patient, the other is refused as busy.
     */
    async callNext(principal: Principal, doctorId: string): Promise<AppointmentView> {
      const s = await doctorDesk(principal, doctorId);
      for (let attempt = 1; ; attempt++) {
        const view = await clinicView(s.clinicId, undefined);
        const doctor = view.doctors.find((x) => x.doctorId === doctorId);
        if (doctor?.current) {
          throw new AppError(
            'doctor_busy',
            `${doctor.name} is still with ${doctor.current.ticket ?? 'a patient'}; complete that consultation first`,
          );
        }
        const next = doctor?.waiting[0];
        if (!next) throw new AppError('queue_empty', 'Nobody is waiting for this doctor');
        try {
          return await d.appointments.transition(principal, next.appointmentId, 'start');
        } catch (err) {
          // Someone else moved that patient meanwhile: look again.
          if (!(err instanceof AppError && err.code === 'invalid_transition') || attempt === 3) throw err;
        }
      }
    },

    /** The doctor runs late by `minutes` from now (0 clears it); waiting patients hear of a 10-minute move. */
    async declareDelay(principal: Principal, doctorId: string, input: DelayInput) {
      const s = await doctorDesk(principal, doctorId);
      await announce(s.clinicId, doctorId, (tx) =>
        store.setDelay(tx, doctorId, { minutes: input.minutes, note: input.note ?? null }),
      );
      return {
        doctorId,
        delayMinutes: input.minutes,
        ...(input.note && input.minutes > 0 ? { note: input.note } : {}),
      };
    },

    /** The room the display sends the doctor's patients to ("A-014 → Room 3"); null clears it. */
    async setRoom(principal: Principal, doctorId: string, room: string | null) {
      const s = await doctorDesk(principal, doctorId);
      await announce(s.clinicId, doctorId, (tx) => store.setRoom(tx, doctorId, room));
      return { doctorId, room };
    },

    async createDisplayToken(principal: Principal, clinicId: string, label: string) {
      deskOf(principal, clinicId);
      await store.clinicTimezone(sql, clinicId);
      const { token, row } = await tokens.createDisplayToken(sql, {
        clinicId,
        label,
        createdBy: principal.userId,
      });
      const path = `/display/${clinicId}?token=${token}`;
      return {
        id: row.id,
        label: row.label,
        token,
        url: d.publicUrl ? new URL(path, d.publicUrl).toString() : path,
      };
    },

    async listDisplayTokens(principal: Principal, clinicId: string) {
      deskOf(principal, clinicId);
      return (await tokens.listDisplayTokens(sql, clinicId)).map(tokenView);
    },

    /** Revokes a token: its next HTTP request is refused and its sockets are cut at once. */
    async revokeDisplayToken(principal: Principal, clinicId: string, tokenId: string): Promise<void> {
      deskOf(principal, clinicId);
      const row = await tokens.revokeDisplayToken(sql, clinicId, tokenId);
      if (!row) throw notFound('Display token');
      d.displaySessions.end(tokenId);
    },

    /** The clinic a live display token opens, for the socket handshake; undefined when unknown or revoked. */
    async displayTokenSession(token: string): Promise<{ tokenId: string; clinicId: string } | undefined> {
      const row = await tokens.useDisplayToken(sql, token);
      return row && { tokenId: row.id, clinicId: row.clinicId };
    },
  };
}

function tokenView(t: tokens.DisplayTokenRow) {
  return {
    id: t.id,
    label: t.label,
    createdAt: t.createdAt.toISOString(),
    lastSeenAt: t.lastSeenAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
