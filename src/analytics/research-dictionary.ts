import type { ResearchDimension } from './research.schemas.js';

/** The data dictionary shipped with every research export: every column a cell can carry. */
const DIMENSIONS: Record<ResearchDimension, { type: string; description: string }> = {
  specialty: {
    type: 'string',
    description:
      "The doctor's specialty (slug, e.g. general-practice); a doctor with several counts under the first by slug, so cells never overlap.",
  },
  weekday: {
    type: 'integer 1–7',
    description: "ISO weekday of the appointment's start in the clinic's time zone (1 = Monday).",
  },
  hour: { type: 'integer 0–23', description: "Hour of the appointment's start in the clinic's local time." },
  city: { type: 'string', description: "The clinic's city." },
  month: {
    type: 'string YYYY-MM',
    description: "Month of the appointment's start in the clinic's time zone.",
  },
};

const MEASURES = [
  {
    column: 'appointments',
    type: 'integer',
    description: 'Appointments that were not cancelled (booked, attended, completed or missed) in the cell.',
  },
  { column: 'completed', type: 'integer', description: 'Of those, appointments completed.' },
  { column: 'noShows', type: 'integer', description: 'Of those, appointments the patient did not attend.' },
  {
    column: 'leadTimeP50',
    type: 'number (minutes) or null',
    description:
      'Median time from booking to the start, walk-ins excluded; null when the cell has no booked-ahead appointment.',
  },
];

export function researchDictionary(by: readonly ResearchDimension[]) {
  return [...by.map((d) => ({ column: d, ...DIMENSIONS[d] })), ...MEASURES];
}
