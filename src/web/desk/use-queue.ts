import { useEffect, useRef, useState } from 'preact/hooks';
import type { QueueView } from '../../events/queue-event-data.js';
import { api } from '../shared/api.js';
import { useLive } from '../shared/live.js';
import { type DeskQueue, withEvent, withFetched } from './queue-state.js';

/** Estimates and "late" move with the clock too, not only with changes: look again this often. */
const REFRESH_MS = 60_000;

/**
 * The clinic's day, live: GET /v1/clinics/:id/queue, then `queue.updated` on `queue:<clinicId>` replaces
 * the changed doctor's row when it is newer; loaded again after a reset, a new day, and every minute.
 */
export function useQueue(clinicId: string) {
  const [queue, setState] = useState<DeskQueue>();
  const [error, setError] = useState<unknown>();
  const loading = useRef<Promise<void> | undefined>(undefined);
  // The latest copy, for merging outside render (events and answers arrive in any order).
  const latest = useRef<DeskQueue | undefined>(undefined);
  const setQueue = (next: DeskQueue | undefined) => {
    latest.current = next;
    setState(next);
  };

  const load = () => {
    // One GET at a time; a call meanwhile waits for it and then asks again.
    const next = (loading.current ?? Promise.resolve()).then(() =>
      api<QueueView>('GET', `/v1/clinics/${clinicId}/queue`).then(
        (fresh) => {
          setQueue(withFetched(latest.current, fresh));
          setError(undefined);
        },
        (err: unknown) => setError(err),
      ),
    );
    loading.current = next;
    return next;
  };

  const online = useLive({
    rooms: [`queue:${clinicId}`],
    load: () => void load(),
    onEvent: (e) => {
      if (e.type !== 'queue.updated' || !('doctor' in e.data)) return;
      const next = withEvent(latest.current, e.data);
      if (next === 'reload') void load();
      else if (next !== latest.current) setQueue(next);
    },
  });

  useEffect(() => {
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [clinicId]);

  return { queue, error, online, reload: load };
}
