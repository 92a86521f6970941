import { useEffect, useState } from 'preact/hooks';
import { api, idempotencyKey } from '../shared/api.js';
import { day, dayTime } from '../shared/clinic-time.js';
import { Problem } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import { mmss } from './hold-panel.js';
import type { WaitlistEntry } from './types.js';

const STATUS: Record<WaitlistEntry['status'], string> = {
  waiting: 'waiting',
  offered: 'a time is yours to book',
  booked: 'booked',
  expired: 'dates passed',
  cancelled: 'left',
};

const range = (e: WaitlistEntry) =>
  `${day(e.from)}${e.to !== e.from ? ` – ${day(e.to)}` : ''}${e.times ? `, ${e.times.start}–${e.times.end}` : ''}`;

/**
 * The patient's waitlists: each open entry with its place in line and Leave; an offer on top, with a
 * countdown, Book and Decline. `version` changes when the patient's room says something changed.
 */
export function MyWaitlist(props: { version: number; onBooked: () => void }) {
  const [items, setItems] = useState<WaitlistEntry[]>();
  const [error, setError] = useState<unknown>();
  const reload = () =>
    api<{ items: WaitlistEntry[] }>('GET', '/v1/waitlist').then((r) => {
      setItems(r.items);
      setError(undefined);
    }, setError);
  useEffect(() => void reload(), [props.version]);

  const open = items?.filter((e) => e.status === 'waiting' || e.status === 'offered') ?? [];
  if (items && open.length === 0 && !error) return null;
  return (
    <section class="card" aria-labelledby="waitlist-title">
      <h2 id="waitlist-title">My waitlists</h2>
      <Problem error={error} />
      {!items ? (
        <p>Loading…</p>
      ) : (
        <ul class="plain appointments">
          {open.map((e) =>
            e.offer ? (
              <OfferItem
                key={e.id}
                entry={e}
                offer={e.offer}
                onDone={() => {
                  void reload();
                  props.onBooked();
                }}
              />
            ) : (
              <EntryItem key={e.id} entry={e} onLeft={() => void reload()} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function EntryItem({ entry, onLeft }: { entry: WaitlistEntry; onLeft: () => void }) {
  const { error, busy, run } = useAction();
  return (
    <li>
      <p>
        <strong>{entry.doctor.name}</strong> · {range(entry)}
      </p>
      <p class="muted">
        {STATUS[entry.status]}
        {entry.position !== undefined && ` · number ${entry.position} in line`}
      </p>
      <Problem error={error} />
      <button
        type="button"
        class="secondary"
        disabled={busy}
        aria-label={`Leave the waitlist of ${entry.doctor.name}, ${range(entry)}`}
        onClick={() =>
          void run(async () => {
            await api('DELETE', `/v1/waitlist/${entry.id}`);
            onLeft();
          })
        }
      >
        Leave
      </button>
    </li>
  );
}

/** A freed time held for this patient: a countdown to when it passes to the next in line. */
function OfferItem(props: {
  entry: WaitlistEntry;
  offer: NonNullable<WaitlistEntry['offer']>;
  onDone: () => void;
}) {
  const { entry, offer } = props;
  const [now, setNow] = useState(Date.now());
  const [key] = useState(idempotencyKey);
  const { error, busy, run } = useAction();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Date.parse(offer.expiresAt) - now;
  const when = dayTime(offer.start);
  return (
    <li class="hold offer">
      <h3>
        {when} with {entry.doctor.name} is yours
      </h3>
      <p>
        Held for you for{' '}
        <strong role="timer" aria-label={`${mmss(left)} left to book ${when}`}>
          {mmss(left)}
        </strong>{' '}
        — then it goes to the next patient in line.
      </p>
      <Problem error={error} />
      <div class="row">
        <button
          type="button"
          disabled={busy || left <= 0}
          onClick={() =>
            void run(async () => {
              await api('POST', '/v1/appointments', { holdId: offer.holdId }, key);
              props.onDone();
            })
          }
        >
          Book {when}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await api('DELETE', `/v1/holds/${offer.holdId}`);
              props.onDone();
            })
          }
        >
          Decline
        </button>
      </div>
    </li>
  );
}

/**
 * Join the doctor's waitlist for a day with no free time left: the first time that frees up is
 * offered to whoever has waited longest.
 */
export function JoinWaitlist(props: { doctorId: string; date: string; onJoined: () => void }) {
  const { error, busy, run } = useAction();
  const [joined, setJoined] = useState(false);
  if (joined) return <p class="muted">On the waitlist</p>;
  return (
    <>
      <button
        type="button"
        class="secondary"
        disabled={busy}
        aria-label={`Join waitlist for ${day(props.date)}`}
        onClick={() =>
          void run(async () => {
            await api('POST', '/v1/waitlist', { doctorId: props.doctorId, from: props.date, to: props.date });
            setJoined(true);
            props.onJoined();
          })
        }
      >
        Join waitlist
      </button>
      <Problem error={error} />
    </>
  );
}
