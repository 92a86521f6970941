import type { Principal } from '../auth/principal.js';
import { AppError, forbidden, notFound, validationFailed } from '../errors.js';
import type { Publisher } from '../events/publisher.js';
import { transaction } from '../infra/transaction.js';
import { formatInstant, localDateOf } from '../schedule/zone-offsets.js';
import { createOfferEngine, type OfferDeps } from './offers.js';
import * as offersStore from './offers.store.js';
import { type SlotWatch, watchSlots } from './slot-watch.js';
import { offerOpenSlots, offerToPatientAgain, sweepWaitlist } from './sweep.js';
import type { EntryView, JoinInput } from './waitlist.schemas.js';
import * as store from './waitlist.store.js';

/** A patient waits on at most this many lists at once. */
export const MAX_ACTIVE_ENTRIES = 5;

export type WaitlistService = ReturnType<typeof createWaitlistService>;

/** Entries (join, list, leave), what staff and admins see, and the offer engine's triggers. */
export function createWaitlistService(deps: OfferDeps & { publisher: Publisher }) {
  const { sql, schedule } = deps;
  const engine = createOfferEngine(deps);
  let watching: SlotWatch | undefined;

  async function views(rows: store.EntryRow[]): Promise<EntryView[]> {
    const open = rows.filter((r) => r.status === 'waiting' || r.status === 'offered').map((r) => r.id);
    const [places, offers] = await Promise.all([
      store.positions(sql, open),
      offersStore.openOffersOfEntries(sql, open),
    ]);
    const offerOf = new Map(offers.map((o) => [o.entryId, o]));
    return rows.map((r) => entryView(r, places.get(r.id), offerOf.get(r.id)));
  }

  return {
    engine,

    /** Joins a doctor's waitlist; a free slot that already matches is offered at once. */
    async join(principal: Principal, input: JoinInput): Promise<EntryView> {
      if (principal.role !== 'patient') throw forbidden('Only patients join a waitlist');
      const doctor = await schedule.scheduleOf(input.doctorId);
      if (input.to < localDateOf(Date.now(), doctor.timezone)) {
        throw validationFailed([{ path: 'body.to', message: 'must not be in the past' }]);
      }
      const row = await transaction(sql, async (tx) => {
        await store.lockPatientEntries(tx, principal.userId);
        if ((await store.countActive(tx, principal.userId)) >= MAX_ACTIVE_ENTRIES) {
          throw new AppError(
            'too_many_entries',
            `You can wait on at most ${MAX_ACTIVE_ENTRIES} waitlists at once; leave one first`,
          );
        }
        const entry = { patientId: principal.userId, ...input };
        if (await store.hasAppointmentIn(tx, entry)) {
          throw new AppError(
            'conflict',
            'You already have an appointment with this doctor in these dates; reschedule it instead',
          );
        }
        return store.insertEntry(tx, entry);
      });
      await offerOpenSlots(deps, engine, doctor.doctorId, { from: input.from, to: input.to });
      const [fresh] = await views([(await store.findEntry(sql, row.id)) ?? row]);
      return fresh!;
    },

    async list(principal: Principal): Promise<EntryView[]> {
      return views(await store.entriesOf(sql, principal.userId));
    },

    /** Leaves a waitlist; an offer it holds is declined and goes to the next in line at once. */
    async leave(principal: Principal, id: string): Promise<void> {
      const entry = await store.findEntry(sql, id);
      if (!entry || entry.patientId !== principal.userId) throw notFound('Waitlist entry');
      const left = await store.setEntryStatus(sql, id, ['waiting', 'offered'], 'cancelled');
      if (!left) return;
      for (const offer of await offersStore.openOffersOfEntries(sql, [id]))
        await engine.withdraw(offer, 'declined');
    },

    /** How many wait on a doctor's list: that doctor, the clinic's staff, admins. */
    async lineLength(principal: Principal, doctorId: string) {
      const doctor = await schedule.scheduleOf(doctorId);
      const allowed =
        principal.role === 'admin' ||
        (principal.role === 'doctor' && doctor.userId === principal.userId) ||
        (principal.role === 'staff' && doctor.clinicId === principal.clinicId);
      if (!allowed) throw notFound('Doctor');
      return { doctorId, ...(await store.lineLength(sql, doctorId)) };
    },

    /** Every offer made, newest first, with when its entry joined: the record to check fairness by. */
    async offerHistory(f: { doctorId?: string | undefined; limit?: number | undefined }) {
      const rows = await offersStore.offerHistory(sql, { doctorId: f.doctorId, limit: f.limit ?? 100 });
      return {
        items: rows.map((o) => ({
          id: o.id,
          entryId: o.entryId,
          doctorId: o.doctorId,
          patientId: o.patientId,
          start: o.slotStart.toISOString(),
          end: o.slotEnd.toISOString(),
          status: o.status,
          joinedAt: o.joinedAt.toISOString(),
          offeredAt: o.offeredAt.toISOString(),
          expiresAt: o.expiresAt.toISOString(),
          closedAt: o.closedAt?.toISOString() ?? null,
        })),
      };
    },

    /** Reacts to slot events in this process (hub.ts starts it, and stops it before Postgres closes). */
    watch(): SlotWatch {
      watching = watchSlots(deps, engine);
      return watching;
    },

    /** Resolves when this process has finished reacting to the events it has seen so far. */
    idle: (): Promise<void> => watching?.idle() ?? Promise.resolve(),

    /** The repair pass the waitlist sweep job runs: expiries, stale offers, slots freed unseen. */
    sweep: () => sweepWaitlist(deps, engine),
  };
}

function entryView(
  r: store.EntryRow,
  position: number | undefined,
  offer: offersStore.OfferRow | undefined,
): EntryView {
  return {
    id: r.id,
    doctorId: r.doctorId,
    doctor: { id: r.doctorId, name: r.doctorName },
    from: r.fromDate,
    to: r.toDate,
    ...(r.timeStart && r.timeEnd ? { times: { start: r.timeStart, end: r.timeEnd } } : {}),
    status: r.status,
    ...(position !== undefined ? { position } : {}),
    createdAt: r.createdAt.toISOString(),
    ...(offer
      ? {
          offer: {
            holdId: offer.holdId,
            start: formatInstant(offer.slotStart.getTime(), r.timezone),
            end: formatInstant(offer.slotEnd.getTime(), r.timezone),
            expiresAt: offer.expiresAt.toISOString(),
          },
        }
      : {}),
  };
}
