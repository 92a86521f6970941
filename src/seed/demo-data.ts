import type { ClinicInput } from '../directory/directory.schemas.js';

/** One password for every demo account; printed at first start of an embedded hub. Never for production. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_DOMAIN = 'demo.booking-hub.test';
const email = (local: string) => `${local}@${DEMO_DOMAIN}`;

export interface DemoClinic extends ClinicInput {
  key: string;
  staff: { email: string; name: string };
}

export const DEMO_CLINICS: DemoClinic[] = [
  {
    key: 'nyc',
    name: 'Riverside Family Clinic',
    address: '120 Hudson St',
    city: 'New York',
    timezone: 'America/New_York',
    lat: 40.7195,
    lon: -74.0089,
    phone: '+1 212 555 0142',
    staff: { email: email('frontdesk.nyc'), name: 'Jordan Reyes' },
  },
  {
    key: 'berlin',
    name: 'Praxis am Kollwitzplatz',
    address: 'Kollwitzstraße 52',
    city: 'Berlin',
    timezone: 'Europe/Berlin',
    lat: 52.5361,
    lon: 13.4175,
    phone: '+49 30 5550 1234',
    staff: { email: email('frontdesk.berlin'), name: 'Katrin Vogel' },
  },
  {
    key: 'sydney',
    name: 'Harbour Medical Centre',
    address: '88 George St',
    city: 'Sydney',
    timezone: 'Australia/Sydney',
    lat: -33.8651,
    lon: 151.2079,
    phone: '+61 2 5550 1188',
    staff: { email: email('frontdesk.sydney'), name: 'Priya Nair' },
  },
];

export interface DemoDoctor {
  clinic: string;
  email: string;
  name: string;
  specialties: string[];
  feeCents: number;
  currency: string;
  languages: string[];
  bio: string;
}

export const DEMO_DOCTORS: DemoDoctor[] = [
  {
    clinic: 'nyc',
    email: email('maya.patel'),
    name: 'Dr. Maya Patel',
    specialties: ['general-practice', 'internal-medicine'],
    feeCents: 15000,
    currency: 'USD',
    languages: ['en', 'hi'],
    bio: 'Family physician with a focus on preventive care and chronic conditions.',
  },
  {
    clinic: 'nyc',
    email: email('james.okafor'),
    name: 'Dr. James Okafor',
    specialties: ['cardiology'],
    feeCents: 25000,
    currency: 'USD',
    languages: ['en'],
    bio: 'Cardiologist; heart rhythm disorders and hypertension.',
  },
  {
    clinic: 'nyc',
    email: email('sofia.alvarez'),
    name: 'Dr. Sofia Alvarez',
    specialties: ['pediatrics'],
    feeCents: 12000,
    currency: 'USD',
    languages: ['en', 'es'],
    bio: 'Pediatrician caring for newborns to teenagers.',
  },
  {
    clinic: 'nyc',
    email: email('daniel.kim'),
    name: 'Dr. Daniel Kim',
    specialties: ['dermatology'],
    feeCents: 18000,
    currency: 'USD',
    languages: ['en', 'ko'],
    bio: 'Dermatologist; skin checks, acne and eczema.',
  },
  {
    clinic: 'berlin',
    email: email('lena.hoffmann'),
    name: 'Dr. Lena Hoffmann',
    specialties: ['general-practice'],
    feeCents: 6000,
    currency: 'EUR',
    languages: ['de', 'en'],
    bio: 'Hausärztin in Prenzlauer Berg.',
  },
  {
    clinic: 'berlin',
    email: email('mehmet.yilmaz'),
    name: 'Dr. Mehmet Yilmaz',
    specialties: ['orthopedics'],
    feeCents: 9000,
    currency: 'EUR',
    languages: ['de', 'tr', 'en'],
    bio: 'Orthopaedic surgeon; knees, shoulders and sports injuries.',
  },
  {
    clinic: 'berlin',
    email: email('anna.kowalski'),
    name: 'Dr. Anna Kowalski',
    specialties: ['psychiatry', 'psychology'],
    feeCents: 11000,
    currency: 'EUR',
    languages: ['de', 'pl', 'en'],
    bio: 'Psychiatrist; anxiety, depression and sleep.',
  },
  {
    clinic: 'sydney',
    email: email('olivia.chen'),
    name: 'Dr. Olivia Chen',
    specialties: ['general-practice'],
    feeCents: 8000,
    currency: 'AUD',
    languages: ['en', 'zh'],
    bio: 'GP with an interest in women’s health and travel medicine.',
  },
  {
    clinic: 'sydney',
    email: email('liam.obrien'),
    name: "Dr. Liam O'Brien",
    specialties: ['physiotherapy', 'orthopedics'],
    feeCents: 9500,
    currency: 'AUD',
    languages: ['en'],
    bio: 'Sports physiotherapist and rehabilitation.',
  },
  {
    clinic: 'sydney',
    email: email('aisha.rahman'),
    name: 'Dr. Aisha Rahman',
    specialties: ['obstetrics-gynecology'],
    feeCents: 14000,
    currency: 'AUD',
    languages: ['en', 'ar'],
    bio: 'Obstetrician and gynaecologist.',
  },
];

/** Demo consulting hours, in each clinic's local time: weekdays 09:00–12:30 and 14:00–17:30, 30-minute slots. */
export const DEMO_WEEK = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: '09:00', end: '12:30', slotMinutes: 30 },
  { weekday, start: '14:00', end: '17:30', slotMinutes: 30 },
]);

export const DEMO_ADMIN = { email: email('admin'), name: 'Demo Admin' };
export const DEMO_PATIENTS = [
  { email: email('alex.morgan'), name: 'Alex Morgan', phone: '+1 646 555 0101' },
  { email: email('sam.taylor'), name: 'Sam Taylor', phone: '+49 170 5550 2020' },
];

/** The logins printed after seeding. */
export function demoLogins(): { role: string; email: string }[] {
  return [
    { role: 'admin', email: DEMO_ADMIN.email },
    ...DEMO_CLINICS.map((c) => ({ role: `staff (${c.city})`, email: c.staff.email })),
    ...DEMO_DOCTORS.slice(0, 3).map((d) => ({ role: 'doctor', email: d.email })),
    ...DEMO_PATIENTS.map((p) => ({ role: 'patient', email: p.email })),
  ];
}
