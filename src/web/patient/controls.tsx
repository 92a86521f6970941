import { useEffect, useState } from 'preact/hooks';

/** A short notice read out politely (a booking went through). */
export function Notice({ text }: { text: string | undefined }) {
  return (
    <p class="notice" role="status">
      {text ?? ''}
    </p>
  );
}

/**
 * The live connection as a page shows it: `connected` as it is, `shown` false only once the socket has
 * failed to connect for a few seconds (no "Offline" flash while the page first connects).
 */
export function useSettled(connected: boolean, graceMs = 3000): { connected: boolean; shown: boolean } {
  const [starting, setStarting] = useState(true);
  useEffect(() => {
    const t = setTimeout(() => setStarting(false), graceMs);
    return () => clearTimeout(t);
  }, []);
  return { connected, shown: connected || starting };
}
