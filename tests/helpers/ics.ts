import ICAL from 'ical.js';

/** The VEVENTs of an iCalendar text, as ical.js reads them (times in epoch ms). */
export function icsEvents(ics: string) {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      start: e.startDate.toJSDate().getTime(),
      end: e.endDate.toJSDate().getTime(),
      summary: e.summary,
      location: e.location,
      status: c.getFirstPropertyValue('status'),
    };
  });
}
