import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, idempotencyKey, type User } from '../shared/api.js';
import { addDays, day, dayTime, todayIn } from '../shared/clinic-time.js';
import { Problem } from '../shared/form.js';
import type { Slot } from '../shared/types.js';
import { OfflineBanner } from '../shared/ui.js';
import { byDay, sameInstant, weekOf } from './board.js';
import { Notice } from './controls.js';
import { HoldPanel } from './hold-panel.js';
import { SlotCell } from './slot-cell.js';
import type { Appointment, Doctor, Hold } from './types.js';
import { useBoard } from './use-board.js';
import { JoinWaitlist } from './waitlist.js';

interface Props {
  doctor: Doctor;
  user: User | undefined;
  /** An appointment being moved: a held slot is offered as its new time instead of a new booking. */
  moving: Appointment | undefined;
  mine: Appointment[];
  onBooked: (a: Appointment) => void;
  onStopMoving: () => void;
  onClose: () => void;
  /** The patient joined this doctor's waitlist for a full day. */
  onJoinedWaitlist: () => void;
}

/**
 * A doctor's week in the clinic's time, live: the board comes from the server (again after a reconnect,
 * a reset or a change of hours) and slot events turn cells held, booked or free in between.
 */
export function WeekGrid(props: Props) {
  const { doctor, user, moving, mine, onBooked, onStopMoving, onClose } = props;
  const tz = doctor.clinic.timezone;
  const today = todayIn(tz);
  const [from, setFrom] = useState(() => {
    const next = doctor.nextAvailable?.slice(0, 10);
    return next && next > addDays(today, 6) ? next : today;
  });
  const [hold, setHold] = useState<Hold & { key?: Record<string, string> }>();
  const [refusal, setRefusal] = useState<unknown>();
  const [holdError, setHoldError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const holdRef = useRef(hold);
  holdRef.current = hold;
  const releasing = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const {
    board,
    error: loadError,
    online,
    setCell,
  } = useBoard(doctor.id, from, (change) => {
    const h = holdRef.current;
    if (!h || !sameInstant(h.start, change.start)) return;
    if (change.type === 'slot.held' && change.expiresAt && !h.expiresAt) {
      setHold({ ...h, expiresAt: change.expiresAt });
    } else if (change.type === 'slot.released' && !releasing.current) {
      setHold(undefined);
      setNotice(`Your hold on ${dayTime(h.start)} has ended; the time is free for everyone again.`);
    }
  });
  useEffect(() => heading.current?.focus(), [doctor.id]);

  const choose = async (slot: Slot, mineBooked: boolean) => {
    setRefusal(undefined);
    setNotice(undefined);
    if (slot.holdId) {
      if (holdRef.current?.holdId !== slot.holdId)
        setHold({ ...slot, holdId: slot.holdId, doctorId: doctor.id });
      return;
    }
    if (slot.status === 'held') {
      return setRefusal(
        `${dayTime(slot.start)} is held by another patient for a few minutes. Choose a free time.`,
      );
    }
    if (slot.status === 'booked') {
      return setRefusal(
        `${dayTime(slot.start)} is already booked${mineBooked ? ' by you' : ''}. Choose a free time.`,
      );
    }
    if (!user) return setRefusal('Sign in, or create an account, to hold a time.');
    if (user.role !== 'patient')
      return setRefusal(`Only patients book here; you are signed in as ${user.role}.`);
    setBusy(true);
    try {
      const key = idempotencyKey();
      const h = await api<Hold>('POST', '/v1/holds', { doctorId: doctor.id, start: slot.start }, key);
      const previous = holdRef.current;
      // The hold's answer writes its instants in UTC; the board's carry the clinic's offset, which the
      // page shows: keep the board's.
      setHold({ ...h, start: slot.start, end: slot.end, key: idempotencyKey() });
      setHoldError(undefined);
      setCell(slot.start, { status: 'held', holdId: h.holdId });
      if (previous) void release(previous, true);
    } catch (err) {
      // The server knows better than the board: show its word, and the cell as it says.
      if (err instanceof ApiError && err.code === 'slot_held') setCell(slot.start, { status: 'held' });
      if (err instanceof ApiError && err.code === 'slot_taken') setCell(slot.start, { status: 'booked' });
      setRefusal(err);
    } finally {
      setBusy(false);
    }
  };

  const release = async (h: Hold, quietly = false) => {
    releasing.current = true;
    try {
      await api('DELETE', `/v1/holds/${h.holdId}`);
      setCell(h.start, { status: 'free', holdId: undefined });
      if (!quietly) setNotice(`You released ${dayTime(h.start)}.`);
    } catch (err) {
      if (!quietly) setHoldError(err);
    } finally {
      releasing.current = false;
    }
    if (holdRef.current?.holdId === h.holdId) setHold(undefined);
  };

  /** Leaving the week (or the move) gives a held time back at once rather than at expiry. */
  const leave = (then: () => void) => {
    if (holdRef.current) void release(holdRef.current, true);
    then();
  };

  const book = async (reason: string) => {
    const h = holdRef.current;
    if (!h) return;
    setBusy(true);
    setHoldError(undefined);
    try {
      const appt = moving
        ? await api<Appointment>(
            'POST',
            `/v1/appointments/${moving.id}/reschedule`,
            { holdId: h.holdId },
            h.key,
          )
        : await api<Appointment>(
            'POST',
            '/v1/appointments',
            { holdId: h.holdId, ...(reason.trim() ? { reason: reason.trim() } : {}) },
            h.key,
          );
      setHold(undefined);
      setCell(h.start, { status: 'booked', holdId: undefined });
      setNotice(
        moving
          ? `Moved: your appointment with ${doctor.name} is now ${dayTime(appt.start)}.`
          : `Booked: ${dayTime(appt.start)} with ${doctor.name}.`,
      );
      onBooked(appt);
    } catch (err) {
      setHoldError(err);
    } finally {
      setBusy(false);
    }
  };

  const days = weekOf(from);
  const slotsByDay = board ? byDay(board.slots) : new Map<string, Slot[]>();
  const mineAt = new Set(
    mine.filter((a) => a.doctorId === doctor.id && a.status === 'booked').map((a) => Date.parse(a.start)),
  );
  return (
    <section class="card week-card" aria-labelledby="week-title">
      <div class="week-head">
        <h2 id="week-title" tabIndex={-1} ref={heading}>
          Times with {doctor.name}
        </h2>
        <button type="button" class="link" onClick={() => leave(onClose)}>
          Back to the doctors
        </button>
      </div>
      <p class="muted">
        {doctor.clinic.name}, {doctor.clinic.city}. Times are the clinic's ({board?.timezone ?? tz}).
      </p>
      <OfflineBanner online={online} />
      {moving && (
        <p class="moving">
          Moving your appointment of {dayTime(moving.start)}: choose a free time.{' '}
          <button type="button" class="link" onClick={() => leave(onStopMoving)}>
            Keep {dayTime(moving.start)}
          </button>
        </p>
      )}
      <Notice text={notice} />
      <Problem error={refusal} />
      {hold && (
        <HoldPanel
          hold={hold}
          moving={moving}
          busy={busy}
          error={holdError}
          onBook={(r) => void book(r)}
          onRelease={() => void release(hold)}
          onExpired={() => {
            setHold(undefined);
            setCell(hold.start, { status: 'free', holdId: undefined });
            setNotice(`Your hold on ${dayTime(hold.start)} expired; the time is free for everyone again.`);
          }}
        />
      )}
      <nav class="week-nav" aria-label="Weeks">
        <button
          type="button"
          class="secondary prev"
          disabled={from <= today}
          onClick={() => setFrom(addDays(from, -7))}
        >
          Earlier week
        </button>
        <span class="range">
          {day(from)} – {day(addDays(from, 6))}
        </span>
        <button type="button" class="secondary next" onClick={() => setFrom(addDays(from, 7))}>
          Later week
        </button>
      </nav>
      <Problem error={loadError} />
      {!board ? (
        <p>Loading times…</p>
      ) : (
        <div class="week">
          {days.map((date) => {
            const slots = slotsByDay.get(date) ?? [];
            return (
              <section key={date} class="day" aria-labelledby={`day-${date}`}>
                <h3 id={`day-${date}`}>{day(date)}</h3>
                {slots.length === 0 ? (
                  <p class="muted">No times</p>
                ) : (
                  <ul class="day-slots">
                    {slots.map((s) => (
                      <li key={s.start}>
                        <SlotCell
                          slot={s}
                          mineBooked={mineAt.has(Date.parse(s.start))}
                          onChoose={(slot, m) => void choose(slot, m)}
                        />
                      </li>
                    ))}
                  </ul>
                )}
                {user?.role === 'patient' &&
                  slots.length > 0 &&
                  !slots.some((s) => s.status === 'free' || s.holdId) && (
                    <JoinWaitlist doctorId={doctor.id} date={date} onJoined={props.onJoinedWaitlist} />
                  )}
              </section>
            );
          })}
        </div>
      )}
    </section>
  );
}
