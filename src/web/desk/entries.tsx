import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExpectedEntryView, QueueEntryView } from '../../events/queue-event-data.js';
import { clock } from '../shared/clinic-time.js';

/** The ticket as the waiting room sees it ("A-014"), or a dash for a patient started without one. */
export function Ticket({ ticket }: { ticket: string | null }) {
  return (
    <span class="ticket">
      <span class="sr-only">Ticket </span>
      {ticket ?? '—'}
    </span>
  );
}

export function Badges({ entry }: { entry: { late?: boolean; walkIn?: boolean; overdue?: boolean } }) {
  return (
    <>
      {entry.walkIn && <span class="badge walk-in">Walk-in</span>}
      {entry.late && <span class="badge late">Late</span>}
      {entry.overdue && <span class="badge overdue">Not here yet</span>}
    </>
  );
}

/** Someone in the line: position, ticket, name, when they should go in, and why they stand where they do. */
export function WaitingRow({ entry }: { entry: QueueEntryView }) {
  return (
    <li class="entry">
      <span class="pos">
        <span class="sr-only">Position </span>
        {entry.position}
      </span>
      <Ticket ticket={entry.ticket} />
      <div class="person">
        <span class="name">{entry.patientName}</span>
        <span class="meta dotted">
          <span>
            about <strong>{clock(entry.estimatedStart)}</strong>
          </span>
          {!entry.walkIn && <span>booked {clock(entry.slotStart)}</span>}
          {entry.arrivedAt && <span>here since {clock(entry.arrivedAt)}</span>}
        </span>
      </div>
      <span class="badges">
        <Badges entry={entry} />
      </span>
    </li>
  );
}

/** A booked patient not here yet: the Check in button, and No-show once their time has passed. */
export function ExpectedRow(props: {
  entry: ExpectedEntryView;
  onCheckIn: () => void;
  onNoShow: () => void;
}) {
  const { entry } = props;
  const started = Date.parse(entry.slotStart) <= Date.now();
  const moved = entry.estimatedStart.slice(0, 16) !== entry.slotStart.slice(0, 16);
  return (
    <li class="entry expected">
      <span class="time">{clock(entry.slotStart)}</span>
      <div class="person">
        <span class="name">{entry.patientName}</span>
        <span class="meta">
          {moved ? <>would go in about {clock(entry.estimatedStart)}</> : 'on time'}
          <Badges entry={entry} />
        </span>
      </div>
      <span class="acts">
        <button type="button" aria-label={`Check in ${entry.patientName}`} onClick={props.onCheckIn}>
          Check in
        </button>
        {started && (
          <Confirm
            label="No-show"
            name={`No-show ${entry.patientName}`}
            confirm={`Confirm no-show for ${entry.patientName}`}
            onConfirm={props.onNoShow}
          />
        )}
      </span>
    </li>
  );
}

/** A button for something that cannot be undone: a second click (on "Yes") does it. */
export function Confirm(props: { label: string; name: string; confirm: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="secondary" aria-label={props.name} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <Ask
      {...props}
      onDone={(yes) => {
        setAsking(false);
        if (yes) props.onConfirm();
      }}
    />
  );
}

function Ask(props: { label: string; confirm: string; onDone: (yes: boolean) => void }) {
  const yes = useRef<HTMLButtonElement>(null);
  // The question replaces the button just pressed: the focus moves onto it, not to the page's start.
  useEffect(() => yes.current?.focus(), []);
  return (
    <span class="confirm">
      <button
        ref={yes}
        type="button"
        class="danger"
        aria-label={props.confirm}
        onClick={() => props.onDone(true)}
      >
        Yes, {props.label.toLowerCase()}
      </button>
      <button type="button" class="secondary" onClick={() => props.onDone(false)}>
        Back
      </button>
    </span>
  );
}
