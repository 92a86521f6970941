/**
 * The API's shapes that more than one page reads. The pages import no server code, so these mirror the
 * contract at /openapi.json; each page's types.ts holds the shapes only it reads.
 */

export interface Specialty {
  slug: string;
  name: string;
}

export type SlotStatus = 'free' | 'held' | 'booked';

/** A time on a doctor's slot board, as GET /v1/doctors/:id/slots gives it (instants with the clinic's offset). */
export interface Slot {
  start: string;
  end: string;
  status: SlotStatus;
  /** Present on a slot the signed-in patient holds. */
  holdId?: string;
}

export interface SlotBoard {
  doctorId: string;
  timezone: string;
  revision: string;
  slots: Slot[];
}
