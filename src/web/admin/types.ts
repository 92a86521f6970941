/** The API's shapes this page reads (README "API"; the contract is /openapi.json). */

export interface Clinic {
  id: string;
  name: string;
  address: string;
  city: string;
  timezone: string;
  lat: number;
  lon: number;
  phone: string | null;
}

export interface Doctor {
  id: string;
  userId: string;
  name: string;
  specialties: { slug: string; name: string }[];
  feeCents: number;
  currency: string;
  languages: string[];
  clinic: { id: string; name: string; city: string; timezone: string };
  nextAvailable?: string | null;
}

export interface Account {
  id: string;
  email: string | null;
  name: string;
  role: 'patient' | 'doctor' | 'staff' | 'admin';
  clinicId: string | null;
  createdAt: string;
}

export interface Webhook {
  id: string;
  clinicId: string;
  url: string;
  events: string[];
  active: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  createdAt: string;
}

export interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Events a clinic's endpoint can receive (README "Webhooks"). */
export const WEBHOOK_EVENTS = [
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.status_changed',
  'appointment.reminder',
] as const;
