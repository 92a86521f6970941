import type { Specialty } from '../shared/types.js';

/**
 * The public API's shapes as the patient page reads them (the pages import no server code, so these
 * mirror the contract at /openapi.json; the shapes other pages read too are in shared/types.ts).
 */

export interface Clinic {
  id: string;
  name: string;
  city: string;
  timezone: string;
}

export interface Doctor {
  id: string;
  name: string;
  specialties: Specialty[];
  feeCents: number;
  currency: string;
  languages: string[];
  bio: string | null;
  clinic: Clinic;
  distanceKm?: number;
  nextAvailable?: string | null;
}

export interface Hold {
  holdId: string;
  doctorId: string;
  start: string;
  end: string;
  /** Unknown for a hold found on the board after a reload (the board does not say). */
  expiresAt?: string;
}

export interface Appointment {
  id: string;
  doctorId: string;
  start: string;
  end: string;
  status: 'booked' | 'checked_in' | 'in_consultation' | 'completed' | 'cancelled' | 'no_show';
  feeCents: number;
  currency: string;
  reason?: string;
  ticket?: string;
  doctor: { id: string; name: string };
}

export interface Notice {
  id: string;
  kind: string;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}

/** A waitlist entry (GET /v1/waitlist); an offer's times carry the clinic's offset. */
export interface WaitlistEntry {
  id: string;
  doctorId: string;
  doctor: { id: string; name: string };
  from: string;
  to: string;
  times?: { start: string; end: string };
  status: 'waiting' | 'offered' | 'booked' | 'expired' | 'cancelled';
  position?: number;
  offer?: { holdId: string; start: string; end: string; expiresAt: string };
}
