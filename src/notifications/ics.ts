import ical, { ICalEventStatus } from 'ical-generator';

/** What a calendar entry shows. No health data (no visit reason) ever goes into a calendar. */
export interface CalendarEntry {
  id: string;
  start: number;
  end: number;
  status: string;
  summary: string;
  location: string;
  description: string;
}

/**
 * iCalendar (RFC 5545) for one appointment or a doctor's feed. Times are written in UTC, which every
 * calendar shows in its own zone; the UID is stable, so updates replace the entry instead of adding one.
 */
export function toIcs(name: string, entries: readonly CalendarEntry[]): string {
  const calendar = ical({ name, prodId: { company: 'booking-hub', product: 'booking-hub', language: 'EN' } });
  for (const e of entries) {
    calendar.createEvent({
      id: `${e.id}@booking-hub`,
      start: new Date(e.start),
      end: new Date(e.end),
      summary: e.summary,
      location: e.location,
      description: e.description,
      status: e.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
