import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

const REFRESH_MS = 30_000;

/**
 * How many wait on a doctor's waitlist (doctor and desk pages): fetched when `version` changes (the
 * page's live events) and every 30 s besides, since offers and joins reach no staff room.
 */
export function WaitlistLength({ doctorId, version }: { doctorId: string; version?: unknown }) {
  const [line, setLine] = useState<{ waiting: number; offered: number }>();
  useEffect(() => {
    let live = true;
    const load = () =>
      api<{ waiting: number; offered: number }>('GET', `/v1/doctors/${doctorId}/waitlist`).then(
        (l) => live && setLine(l),
        () => {},
      );
    void load();
    const t = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [doctorId, version]);
  if (!line) return null;
  return (
    <span class="muted waitlist-length">
      Waitlist: <strong>{line.waiting}</strong> waiting
      {line.offered > 0 && `, ${line.offered} with an offer`}
    </span>
  );
}
