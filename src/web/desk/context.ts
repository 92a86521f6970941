import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { DoctorQueueView } from '../../events/queue-event-data.js';

/** What every part of the desk needs: the clinic's day, a way to say something, and to load the queue again. */
export interface Desk {
  clinicId: string;
  /** Today in the clinic (YYYY-MM-DD) and its zone. */
  date: string;
  timezone: string;
  doctors: DoctorQueueView[];
  notify: (text: string) => void;
  reload: () => Promise<void>;
}

export const DeskContext = createContext<Desk | undefined>(undefined);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside the desk');
  return desk;
}
