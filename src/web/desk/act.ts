import { useRef, useState } from 'preact/hooks';
import { useDesk } from './context.js';

/** The parts of an appointment (POST /v1/appointments and its steps answer one) the desk reads. */
export interface Appointment {
  id: string;
  doctorId: string;
  start: string;
  status: string;
  ticket?: string;
  walkIn?: boolean;
  doctor: { id: string; name: string };
  patient: { id: string; name: string };
}

/**
 * Runs one desk action at a time (a double click sends it once), says what happened, and loads the queue
 * again (the socket brings the change too; this covers a desk whose socket is down). The error stays for
 * <Problem>, next to the buttons that caused it.
 */
export function useAct() {
  const desk = useDesk();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  async function act<T>(call: () => Promise<T>, said?: (result: T) => string): Promise<T | undefined> {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      const result = await call();
      if (said) desk.notify(said(result));
      void desk.reload();
      return result;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }
  return { act, error, busy, setError };
}
