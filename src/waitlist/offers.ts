import { randomUUID } from 'node:crypto';
import { publishSlotHeld, publishSlotReleased } from '../booking/hold-events.js';
import { type HoldExpiry, MAX_HOLDS_PER_PATIENT } from '../booking/holds.service.js';
import type { Hold, HoldStore } from '../booking/holds.store.js';
import { AppError } from '../errors.js';
import { message } from '../events/event-types.js';
import { appendEvents } from '../events/outbox.js';
import type { Publisher } from '../events/publisher.js';
import { rooms } from '../events/rooms.js';
import { PG, pgCode, type Sql } from '../infra/postgres.js';
import { transaction } from '../infra/transaction.js';
import type { Logger } from '../logger.js';
import { escapeHtml, localWhen, type Mailer } from '../notifications/email.js';
import { newNotification } from '../notifications/notifications.service.js';
import { insertNotification } from '../notifications/notifications.store.js';
import type { ScheduleService } from '../schedule/schedule.service.js';
import { formatInstant } from '../schedule/zone-offsets.js';
import * as offersStore from './offers.store.js';
import * as store from './waitlist.store.js';

/** What the offer engine works with. */
export interface OfferDeps {
  sql: Sql;
  schedule: ScheduleService;
  /** Offers are holds like any other: placed and removed through the hold store. */
  holdStore: HoldStore;
  expiry: HoldExpiry;
  publisher: Publisher;
  mailer?: Mailer | undefined;
  logger: Logger;
  offerTtlSeconds: number;
}

export type ClosedStatus = 'accepted' | 'lapsed' | 'declined' | 'withdrawn';

export type OfferEngine = ReturnType<typeof createOfferEngine>;

/**
 * Offers: a freed slot goes to the longest-waiting matching entry as an exclusive hold in that patient's
 * name. Who gets it is decided in one Postgres transaction under a per-doctor advisory lock, with the two
 * partial unique indexes (one open offer per slot, one per patient) as the backstop; the hold's own
 * `SET NX` keeps everyone else off the slot meanwhile. Any hub process may run any of this at any time.
 */
export function createOfferEngine(d: OfferDeps) {
  const { sql, holdStore, publisher, logger } = d;

  /**
   * Offers the slot of `doctorId` starting at `start` to the next in line; the offer, or undefined.
   * The doctor's lock orders offers of one doctor; a patient waiting on two doctors' lists may be chosen
   * for both at once, and the loser of that unique index chooses again (the patient now has an offer).
   */
  async function offerSlot(doctorId: string, start: number): Promise<offersStore.OfferRow | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await offerOnce(doctorId, start);
      } catch (err) {
        if (attempt < 3 && pgCode(err) === PG.uniqueViolation) continue;
        throw err;
      }
    }
  }

  async function offerOnce(doctorId: string, start: number): Promise<offersStore.OfferRow | undefined> {
    // A slot someone holds (or that is no longer bookable) is not offered: its hold's end brings it back.
    const [waiting, slot, holder] = await Promise.all([
      store.anyoneWaiting(sql, doctorId),
      d.schedule.slotAt(doctorId, start, 'start').catch((err: unknown) => {
        if (err instanceof AppError) return undefined;
        throw err;
      }),
      holdStore.holderOf(doctorId, start),
    ]);
    if (!waiting || !slot || holder) return undefined;
    let hold: Hold | undefined;
    try {
      const made = await transaction(sql, async (tx, commit) => {
        // Sent in one write: the lock is taken before the choice, which sees every earlier offer.
        const [, , entry] = await Promise.all([
          offersStore.commitWithoutFlush(tx),
          offersStore.lockDoctorLine(tx, doctorId),
          offersStore.nextInLine(tx, { doctorId, start: slot.start, end: slot.end }),
        ]);
        if (!entry) return undefined;
        const placed = await holdStore.place({
          doctorId,
          patientId: entry.patientId,
          start: slot.start,
          end: slot.end,
          ttlMs: d.offerTtlSeconds * 1000,
          // An offer comes on top of the holds a patient may place themselves.
          maxPerPatient: MAX_HOLDS_PER_PATIENT + 1,
        });
        if (!placed.ok) return undefined;
        hold = placed.hold;
        const offer: offersStore.OfferRow = {
          id: randomUUID(),
          entryId: entry.id,
          patientId: entry.patientId,
          doctorId,
          slotStart: new Date(hold.start),
          slotEnd: new Date(hold.end),
          holdId: hold.holdId,
          status: 'offered',
          offeredAt: new Date(),
          expiresAt: new Date(hold.expiresAt),
          closedAt: null,
        };
        const when = localWhen(hold.start, entry.timezone);
        const notice = newNotification({
          userId: entry.patientId,
          kind: 'waitlist.offered',
          title: 'A slot from your waitlist is yours to book',
          body: `${when}: held for you for ${Math.round(d.offerTtlSeconds / 60)} minutes`,
          data: { offerId: offer.id, entryId: entry.id, doctorId, holdId: hold.holdId },
        });
        await commit(
          offersStore.insertOffer(tx, {
            ...offer,
            start: hold.start,
            end: hold.end,
            expiresAt: hold.expiresAt,
          }),
          store.markEntry(tx, entry.id, ['waiting'], 'offered'),
          insertNotification(tx, notice.row),
          appendEvents(tx, [
            message(rooms.user(entry.patientId), 'waitlist.offered', {
              offerId: offer.id,
              entryId: entry.id,
              doctorId,
              holdId: hold.holdId,
              start: formatInstant(hold.start, entry.timezone),
              end: formatInstant(hold.end, entry.timezone),
              expiresAt: new Date(hold.expiresAt).toISOString(),
            }),
            notice.message,
          ]),
        );
        return { offer, notice };
      });
      if (!made) {
        return undefined;
      }
      const placed = hold!;
      publishSlotHeld(publisher, placed);
      await d.expiry
        .schedule(placed)
        .catch((err) => logger.error({ err }, 'offer expiry timer failed; the waitlist sweep settles it'));
      if (d.mailer) void emailOffer(d, made.offer.patientId, made.notice.row);
      logger.info({ offerId: made.offer.id, doctorId }, 'waitlist slot offered');
      return made.offer;
    } catch (err) {
      // Nothing was committed: give the slot back (only if the lock is still this hold's).
      if (hold) await holdStore.remove(hold).catch(() => {});
      throw err;
    }
  }

  /**
   * Ends an open offer (only once, whoever asks first) and moves its entry on: booked when accepted,
   * back to waiting (its place kept) otherwise. `entryTo` overrides, for a patient leaving the list.
   */
  async function closeOffer(
    offer: Pick<offersStore.OfferRow, 'id' | 'entryId' | 'patientId' | 'doctorId'>,
    status: ClosedStatus,
  ): Promise<boolean> {
    return transaction(sql, async (tx) => {
      const closed = await offersStore.closeOffer(tx, offer.id, status);
      if (!closed) return false;
      await Promise.all([
        store.markEntry(tx, offer.entryId, ['offered'], status === 'accepted' ? 'booked' : 'waiting'),
        appendEvents(tx, [
          message(rooms.user(offer.patientId), 'waitlist.closed', {
            offerId: offer.id,
            entryId: offer.entryId,
            doctorId: offer.doctorId,
            status,
          }),
        ]),
      ]);
      return true;
    });
  }

  /**
   * A hold on a slot ended (released or lapsed): settle the offer it was, then offer the slot again.
   * Returns the offer it settled: its patient may now be offered something else.
   */
  async function slotReleased(doctorId: string, start: number): Promise<offersStore.OfferRow | undefined> {
    const offer = await offersStore.openOfferOnSlot(sql, doctorId, start);
    let settled: offersStore.OfferRow | undefined;
    if (offer && !(await holdStore.isLive(offer.holdId))) {
      const status = Date.now() >= offer.expiresAt.getTime() ? 'lapsed' : 'declined';
      if (await closeOffer(offer, status)) settled = offer;
    }
    // An offer whose hold still lives stands (another hold on the slot ended); offerSlot sees it held.
    await offerSlot(doctorId, start);
    return settled;
  }

  /** Withdraws an open offer and gives its slot back to the line (the patient booked elsewhere, or left). */
  async function withdraw(offer: offersStore.OfferRow, status: ClosedStatus): Promise<boolean> {
    if (!(await closeOffer(offer, status))) return false;
    const removed = await holdStore.remove({
      holdId: offer.holdId,
      doctorId: offer.doctorId,
      patientId: offer.patientId,
      start: offer.slotStart.getTime(),
    });
    await d.expiry.cancel(offer.holdId).catch(() => {});
    if (removed) publishSlotReleased(publisher, removed);
    return true;
  }

  return { offerSlot, closeOffer, slotReleased, withdraw };
}

async function emailOffer(d: OfferDeps, patientId: string, n: { id: string; title: string; body: string }) {
  try {
    const to = await store.contactOf(d.sql, patientId);
    if (!to?.email) return;
    await d.mailer!.send({
      to: to.email,
      subject: n.title,
      text: `${n.body}. Open the booking page to book it before it passes to the next patient.`,
      html: `<p>${escapeHtml(n.body)}.</p><p>Open the booking page to book it before it passes to the next patient.</p>`,
      messageId: n.id,
    });
  } catch (err) {
    d.logger.warn({ err }, 'waitlist offer email failed; the in-app notice stands');
  }
}
