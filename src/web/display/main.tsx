import { useEffect, useRef, useState } from 'preact/hooks';
import type { DisplayView } from '../../events/queue-event-data.js';
import { api } from '../shared/api.js';
import { calledSound, unlockAudioOnInteraction } from '../shared/audio-cue.js';
import { clock } from '../shared/clinic-time.js';
import { useLive } from '../shared/live.js';
import { mount, OfflineBanner } from '../shared/ui.js';

/**
 * The waiting-room board: tickets, rooms and waits, large enough to read across a room. Opened as
 * /display/<clinicId>?token=<display token>; it never holds a patient's name (the server sends none).
 * It reconnects by itself, resyncs what it missed, and says so while it is offline.
 */
function Board({ clinicId, token }: { clinicId: string; token: string }) {
  const [view, setView] = useState<DisplayView>();
  const [error, setError] = useState<string>();
  const calling = useRef<string>('');

  const load = () =>
    api<DisplayView>('GET', `/v1/clinics/${clinicId}/display`, undefined, { 'x-display-token': token }).then(
      (v) => {
        setView((old) => (old && old.revision > v.revision && old.date === v.date ? old : v));
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );

  const online = useLive({
    rooms: [`display:${clinicId}`],
    displayToken: token,
    onEvent: (e) => {
      if (e.type !== 'queue.updated' || !('display' in e.data)) return;
      const next = e.data.display;
      setView((old) => (old && old.date === next.date && old.revision >= next.revision ? old : next));
    },
    load: () => void load(),
  });

  // A chime when a new ticket is called in.
  const nowCalling = view?.now.map((n) => n.ticket).join(',') ?? '';
  useEffect(() => {
    if (nowCalling && calling.current && nowCalling !== calling.current) calledSound();
    calling.current = nowCalling;
  }, [nowCalling]);

  if (error && !view) {
    return (
      <p class="error" role="alert">
        This screen cannot show the waiting room: {error}
      </p>
    );
  }
  if (!view) return <p>Connecting…</p>;
  return (
    <>
      <OfflineBanner online={online} />
      <div class="board">
        <section aria-labelledby="now-title">
          <h2 id="now-title">Now calling</h2>
          {view.now.length === 0 ? (
            <p>—</p>
          ) : (
            <ul class="plain" aria-live="assertive">
              {view.now.map((n) => (
                <li key={n.ticket} class="calling">
                  {n.ticket} → {n.room ?? n.doctorName}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="next-title">
          <h2 id="next-title">Next</h2>
          {view.next.length === 0 ? (
            <p>Nobody waiting</p>
          ) : (
            <ul class="plain">
              {view.next.slice(0, 10).map((n) => (
                <li key={n.ticket}>
                  <strong>{n.ticket}</strong> · {n.doctorName} · about {clock(n.estimatedStart)}
                </li>
              ))}
            </ul>
          )}
          {view.delays.map((d) => (
            <p key={d.doctorName}>
              {d.doctorName} is running {d.delayMinutes} minutes late.
            </p>
          ))}
        </section>
      </div>
    </>
  );
}

function Display() {
  const clinicId = location.pathname.split('/')[2] ?? '';
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return (
    <main id="main">
      <h1 class="sr-only">Waiting room</h1>
      {token ? (
        <Board clinicId={clinicId} token={token} />
      ) : (
        <p class="error">This screen has no display token.</p>
      )}
    </main>
  );
}

unlockAudioOnInteraction();
mount(<Display />);
