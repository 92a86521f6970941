import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { addDays, clock, day, todayIn } from '../shared/clinic-time.js';
import { Problem } from '../shared/form.js';
import type { SlotBoard } from '../shared/types.js';

const DAYS = 7;

/**
 * The doctor's slots for the coming week as the server generates them (weekly hours, buffer, time
 * off, minimum notice, bookings): nothing is computed here. Fetched again whenever `version` moves
 * (hours saved, time off changed).
 */
export function SlotPreview(props: { doctorId: string; timezone: string; version: number }) {
  const [board, setBoard] = useState<SlotBoard>();
  const [error, setError] = useState<unknown>();
  const from = todayIn(props.timezone);
  useEffect(() => {
    let current = true;
    api<SlotBoard>(
      'GET',
      `/v1/doctors/${props.doctorId}/slots?from=${from}&to=${addDays(from, DAYS - 1)}`,
    ).then(
      (b) => {
        if (!current) return;
        setBoard(b);
        setError(undefined);
      },
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [props.doctorId, props.version, from]);

  const dates = Array.from({ length: DAYS }, (_, i) => addDays(from, i));
  return (
    <section aria-labelledby="preview-title" class="doc-preview">
      <h3 id="preview-title">Your slots in the coming week</h3>
      <p class="hint">As patients see them: after time off, bookings and the minimum notice.</p>
      <Problem error={error} />
      {!board ? (
        !error && <p>Loading slots…</p>
      ) : (
        <ul class="plain">
          {dates.map((date) => {
            const slots = board.slots.filter((s) => s.start.slice(0, 10) === date);
            const free = slots.filter((s) => s.status === 'free').length;
            return (
              <li key={date}>
                {slots.length === 0 ? (
                  <p class="doc-day">
                    <strong>{day(date)}</strong> <span class="muted">no slots</span>
                  </p>
                ) : (
                  <details>
                    <summary class="doc-day">
                      <strong>{day(date)}</strong> {slots.length} slots, {free} free ·{' '}
                      {clock(slots[0]!.start)}–{clock(slots[slots.length - 1]!.end)}
                    </summary>
                    <ul class="doc-slots">
                      {slots.map((s) => (
                        <li key={s.start} class={`doc-slot ${s.status}`}>
                          {clock(s.start)}
                          {s.status !== 'free' && <span class="doc-slot-status"> {s.status}</span>}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
