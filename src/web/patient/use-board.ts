import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { addDays } from '../shared/clinic-time.js';
import { type LiveEvent, useLive } from '../shared/live.js';
import type { Slot, SlotBoard } from '../shared/types.js';
import { applySlotEvent, type SlotEventType, sameInstant } from './board.js';
import { useSettled } from './controls.js';

const SLOT_EVENTS = new Set<string>(['slot.held', 'slot.released', 'slot.booked', 'slot.freed']);

/** A slot event as the week reacts to it. */
export interface SlotChange {
  type: SlotEventType;
  start: string;
  expiresAt?: string;
}

/**
 * A doctor's slot board for the seven days from `from`, kept as the server says: fetched at first, on
 * every (re)connection (hold events are not replayed after a gap), on a reset and when the hours
 * change; slot events from `slots:<doctorId>` turn cells in between. Events that arrive while a fetch
 * is on its way are applied again on top of its answer, so none is lost to the race.
 */
export function useBoard(doctorId: string, from: string, onChange: (c: SlotChange) => void) {
  const [board, setBoard] = useState<SlotBoard>();
  const [error, setError] = useState<unknown>();
  const pending = useRef<SlotChange[] | null>(null);
  const seq = useRef(0);

  const load = async () => {
    const ticket = ++seq.current;
    pending.current = [];
    try {
      const b = await api<SlotBoard>(
        'GET',
        `/v1/doctors/${doctorId}/slots?from=${from}&to=${addDays(from, 6)}`,
      );
      if (ticket !== seq.current) return;
      const slots = (pending.current ?? []).reduce((s, e) => applySlotEvent(s, e.type, e.start), b.slots);
      pending.current = null;
      setBoard({ ...b, slots });
      setError(undefined);
    } catch (err) {
      if (ticket === seq.current) setError(err);
    }
  };

  const onEvent = (e: LiveEvent) => {
    if (e.type === 'availability.changed') return void load();
    if (!SLOT_EVENTS.has(e.type) || !('start' in e.data) || e.data.doctorId !== doctorId) return;
    const change: SlotChange = {
      type: e.type as SlotEventType,
      start: e.data.start,
      ...('expiresAt' in e.data ? { expiresAt: e.data.expiresAt } : {}),
    };
    pending.current?.push(change);
    setBoard((b) => b && { ...b, slots: applySlotEvent(b.slots, change.type, change.start) });
    onChange(change);
  };
  const online = useSettled(useLive({ rooms: [`slots:${doctorId}`], onEvent, onReset: () => void load() }));
  useEffect(() => {
    void load();
  }, [from, online.connected]);

  /** One cell as the server just answered (a hold placed, a booking made, a refusal). */
  const setCell = (start: string, patch: Partial<Slot>) =>
    setBoard(
      (b) => b && { ...b, slots: b.slots.map((s) => (sameInstant(s.start, start) ? { ...s, ...patch } : s)) },
    );

  return { board, error, online: online.shown, setCell };
}
