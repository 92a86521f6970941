import type { EventData } from '../../realtime/client.js';

/** The API's shapes this page reads (README "API"; the contract is /openapi.json). */

/** An appointment as GET /v1/appointments answers it; live events carry the same minus the reason. */
export type Appointment = EventData<'appointment.booked'>['appointment'] & {
  doctor: { id: string; name: string };
  patient: { id: string; name: string };
  reason?: string;
};

export interface DoctorProfile {
  id: string;
  name: string;
  clinic: { id: string; name: string; city: string; timezone: string };
}

export interface Rule {
  weekday: number;
  start: string;
  end: string;
  slotMinutes: number;
  validFrom: string | null;
  validTo: string | null;
}

export interface Availability {
  doctorId: string;
  timezone: string;
  bufferMinutes: number;
  rules: Rule[];
}

export interface TimeOff {
  id: string;
  doctorId: string;
  start: string;
  end: string;
  reason: string | null;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
