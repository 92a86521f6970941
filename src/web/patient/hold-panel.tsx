import { useEffect, useRef, useState } from 'preact/hooks';
import { dayTime } from '../shared/clinic-time.js';
import { handleSubmit, Problem } from '../shared/form.js';
import type { Appointment, Hold } from './types.js';

/** "4:59" */
export const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * The slot the patient holds: how long it stays theirs (a visible countdown to expiresAt), an optional
 * reason, and Book (or, when moving an appointment, Move here) or Release.
 */
export function HoldPanel(props: {
  hold: Hold;
  moving: Appointment | undefined;
  busy: boolean;
  error: unknown;
  onBook: (reason: string) => void;
  onRelease: () => void;
  onExpired: () => void;
}) {
  const { hold, moving } = props;
  const [reason, setReason] = useState('');
  const [now, setNow] = useState(Date.now());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [hold.holdId]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = hold.expiresAt ? Date.parse(hold.expiresAt) - now : undefined;
  useEffect(() => {
    if (left !== undefined && left <= 0) props.onExpired();
  }, [left !== undefined && left <= 0]);

  return (
    <section class="hold" aria-labelledby="hold-title">
      <h3 id="hold-title" tabIndex={-1} ref={heading}>
        {moving ? 'Move to' : 'Holding'} {dayTime(hold.start)}
      </h3>
      <p>
        {left !== undefined ? (
          <>
            Yours for{' '}
            <strong role="timer" aria-label={`${mmss(left)} left on your hold`}>
              {mmss(left)}
            </strong>{' '}
            — {moving ? 'confirm the move' : 'book it'} before then, or it goes back to everyone.
          </>
        ) : (
          'This time is held for you for a few minutes.'
        )}
      </p>
      <form onSubmit={handleSubmit(() => props.onBook(reason))}>
        {!moving && (
          <div class="field">
            <label for="reason">Reason for the visit (optional)</label>
            <textarea
              id="reason"
              rows={2}
              maxLength={1000}
              value={reason}
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
            />
          </div>
        )}
        <Problem error={props.error} />
        <div class="row">
          <button type="submit" disabled={props.busy}>
            {moving ? `Move my appointment to ${dayTime(hold.start)}` : `Book ${dayTime(hold.start)}`}
          </button>
          <button type="button" class="secondary" disabled={props.busy} onClick={props.onRelease}>
            Release
          </button>
        </div>
      </form>
    </section>
  );
}
