import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** A labelled select; the label is its accessible name. */
export function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ComponentChildren;
}) {
  const id = `s-${props.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        {props.children}
      </select>
    </div>
  );
}

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
