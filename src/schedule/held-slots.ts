import type { Interval } from './slot-generation.js';

/** A live hold as the schedule sees it: the slot, the hold, and the patient holding it. */
export interface HeldSlot extends Interval {
  holdId: string;
  patientId: string;
}

/**
 * What the schedule reads of holds, for slot boards and free-slot searches. Declared here so that
 * schedule does not import booking: booking's Redis hold store satisfies it (wired in services.ts).
 */
export interface HeldSlots {
  /** Live holds of a doctor starting in [from, to). */
  listForDoctor(doctorId: string, from: number, to: number): Promise<HeldSlot[]>;
}
