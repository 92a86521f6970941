import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Toast {
  id: string;
  text: string;
}

/**
 * Notices for <Toasts>: `push(text)` shows one for `ttlMs`, newest last, at most `max` at a time.
 * Ids come from a counter (crypto.randomUUID needs a secure context, and a clinic LAN may not be one).
 */
export function useToastQueue(ttlMs = 8000, max = 4): [Toast[], (text: string) => void] {
  const [items, setItems] = useState<Toast[]>([]);
  const next = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const t of pending) clearTimeout(t);
    };
  }, []);
  const push = useCallback(
    (text: string) => {
      const id = `toast-${++next.current}`;
      setItems((list) => [...list.slice(1 - max), { id, text }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setItems((list) => list.filter((t) => t.id !== id));
      }, ttlMs);
      timers.current.add(timer);
    },
    [ttlMs, max],
  );
  return [items, push];
}
