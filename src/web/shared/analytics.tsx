import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { addDays, todayIn } from './clinic-time.js';
import { downloadFile } from './download.js';
import { Input, Problem } from './form.js';
import { useAction } from './ui.js';

/** The figures /v1/doctors/:id/analytics and /v1/clinics/:id/analytics answer with (API.md). */
export interface Figures {
  name: string;
  from: string;
  to: string;
  utilization: number | null;
  availableMinutes: number;
  bookedMinutes: number;
  bookings: number;
  completed: number;
  noShows: number;
  noShowRate: number | null;
  cancellations: {
    total: number;
    byWhom: Record<'patient' | 'doctor' | 'staff' | 'admin' | 'system', number>;
    notice: { under2h: number; under24h: number; under7d: number; weekOrMore: number };
  };
  leadTimeMinutes: Pair;
  waitMinutes: Pair;
  consultationMinutes: Pair;
  revenueCents: number | null;
  currency: string | null;
  newPatients: number;
  returningPatients: number;
  byWeekdayHour: number[][];
  byDay: { date: string; booked: number; completed: number; cancelled: number; noShow: number }[];
  doctors?: (Figures & { doctorId: string })[];
}
type Pair = { p50: number | null; p90: number | null };

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const percent = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);
/** Minutes in words a reader takes in at a glance: "45 min", "3.5 h", "6.2 days". */
export function duration(minutes: number | null): string {
  if (minutes === null) return '–';
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2880) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}
const money = (f: Figures) =>
  f.revenueCents === null || !f.currency
    ? '–'
    : new Intl.NumberFormat(undefined, { style: 'currency', currency: f.currency }).format(
        f.revenueCents / 100,
      );
const pair = (p: Pair) => `${duration(p.p50)} (90 %: ${duration(p.p90)})`;

/** The headline figures as a definition list. */
function KeyFigures({ f }: { f: Figures }) {
  const c = f.cancellations;
  const rows: [string, string][] = [
    ['Utilization', `${percent(f.utilization)} of ${Math.round(f.availableMinutes / 60)} h offered`],
    ['Bookings', String(f.bookings)],
    ['Completed', String(f.completed)],
    [
      'Cancellations',
      `${c.total} (patients ${c.byWhom.patient}, doctor ${c.byWhom.doctor}, desk ${c.byWhom.staff + c.byWhom.admin}, automatic ${c.byWhom.system}; under 24 h before: ${c.notice.under2h + c.notice.under24h})`,
    ],
    ['No-show rate', `${percent(f.noShowRate)} (${f.noShows})`],
    ['Lead time, median', pair(f.leadTimeMinutes)],
    ['Wait after arrival, median', pair(f.waitMinutes)],
    ['Consultation, median', pair(f.consultationMinutes)],
    ['Revenue', money(f)],
    ['Patients', `${f.newPatients} new, ${f.returningPatients} returning`],
  ];
  return (
    <dl class="an-figures">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Bars per day (completed, no-show, cancelled, still booked); the table under it says the same in numbers. */
function DailyChart({ f }: { f: Figures }) {
  const max = Math.max(1, ...f.byDay.map((d) => d.booked));
  const width = Math.max(f.byDay.length * 6, 300);
  const barWidth = width / f.byDay.length;
  const total = f.byDay.reduce((n, d) => n + d.booked, 0);
  const busiest = f.byDay.reduce((a, d) => (d.booked > a.booked ? d : a), f.byDay[0]!);
  return (
    <figure class="an-chart">
      <figcaption>
        Bookings per day: {total} from {f.from} to {f.to}
        {busiest && busiest.booked > 0 ? `; busiest ${busiest.date} with ${busiest.booked}` : ''}.
      </figcaption>
      <svg viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
        {f.byDay.map((d, i) => {
          let y = 100;
          return [
            ['an-done', d.completed],
            ['an-noshow', d.noShow],
            ['an-cancel', d.cancelled],
            ['an-open', d.booked - d.completed - d.noShow - d.cancelled],
          ].map(([cls, n]) => {
            const h = ((n as number) / max) * 100;
            y -= h;
            return h > 0 ? (
              <rect
                key={`${d.date}${cls}`}
                class={cls as string}
                x={i * barWidth}
                y={y}
                width={barWidth * 0.8}
                height={h}
              />
            ) : null;
          });
        })}
      </svg>
      <p class="an-legend" aria-hidden="true">
        <span class="an-done">completed</span> <span class="an-noshow">no-show</span>{' '}
        <span class="an-cancel">cancelled</span> <span class="an-open">booked</span>
      </p>
      <details>
        <summary>Daily figures as a table</summary>
        <table class="an-table">
          <caption>Appointments per day</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Booked</th>
              <th scope="col">Completed</th>
              <th scope="col">Cancelled</th>
              <th scope="col">No-show</th>
            </tr>
          </thead>
          <tbody>
            {f.byDay
              .filter((d) => d.booked > 0)
              .map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{d.booked}</td>
                  <td>{d.completed}</td>
                  <td>{d.cancelled}</td>
                  <td>{d.noShow}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A wide table that scrolls sideways on a phone: focusable and named, so a keyboard can scroll it. */
function Scroll(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="an-scroll" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}

/** Weekday × hour as a table whose cells are shaded by count: the numbers are the text alternative. */
function Heatmap({ f }: { f: Figures }) {
  const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) =>
    f.byWeekdayHour.some((row) => row[h]! > 0),
  );
  if (hours.length === 0) return <p>No appointments in this range.</p>;
  const max = Math.max(...f.byWeekdayHour.flat());
  return (
    <Scroll label="Weekday and hour table">
      <table class="an-heat">
        <caption>Appointments by weekday and starting hour (clinic time)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {hours.map((h) => (
              <th key={h} scope="col">
                {String(h).padStart(2, '0')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {f.byWeekdayHour.map((row, d) => (
            <tr key={WEEKDAYS[d]}>
              <th scope="row">{WEEKDAYS[d]}</th>
              {hours.map((h) => (
                <td key={h} style={{ '--heat': String(row[h]! / max) }}>
                  {row[h]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function DoctorRows({ doctors }: { doctors: NonNullable<Figures['doctors']> }) {
  return (
    <Scroll label="Per-doctor table">
      <table class="an-table">
        <caption>Per doctor</caption>
        <thead>
          <tr>
            <th scope="col">Doctor</th>
            <th scope="col">Utilization</th>
            <th scope="col">Bookings</th>
            <th scope="col">No-show rate</th>
            <th scope="col">Cancelled</th>
            <th scope="col">Wait, median</th>
            <th scope="col">Revenue</th>
          </tr>
        </thead>
        <tbody>
          {doctors.map((d) => (
            <tr key={d.doctorId}>
              <th scope="row">{d.name}</th>
              <td>{percent(d.utilization)}</td>
              <td>{d.bookings}</td>
              <td>{percent(d.noShowRate)}</td>
              <td>{d.cancellations.total}</td>
              <td>{duration(d.waitMinutes.p50)}</td>
              <td>{money(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/**
 * A doctor's or a clinic's analytics over a range of clinic dates (default the last 30 days): key
 * figures, the daily chart with its table, the weekday × hour table, per-doctor rows for a clinic, and
 * the CSV download.
 */
export function AnalyticsPanel(props: { path: string; timezone: string; filename: string }) {
  const today = todayIn(props.timezone);
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const [figures, setFigures] = useState<Figures>();
  const loading = useAction();
  const saving = useAction();
  const query = `from=${from}&to=${to}`;

  useEffect(() => {
    if (!from || !to) return;
    void loading.run(async () => setFigures(await api<Figures>('GET', `${props.path}?${query}`)));
  }, [props.path, query]);

  return (
    <div class="an">
      <div class="row">
        <Input label="From" type="date" required value={from} onInput={setFrom} />
        <Input label="To" type="date" required value={to} onInput={setTo} />
        <button
          type="button"
          class="secondary"
          disabled={saving.busy}
          onClick={() =>
            void saving.run(() =>
              downloadFile(`${props.path}?${query}`, `${props.filename}-${from}-${to}.csv`, 'text/csv'),
            )
          }
        >
          Download CSV
        </button>
      </div>
      <Problem error={loading.error ?? saving.error} />
      {!figures ? (
        !loading.error && <p>Loading figures…</p>
      ) : (
        <div aria-busy={loading.busy}>
          <KeyFigures f={figures} />
          <DailyChart f={figures} />
          <Heatmap f={figures} />
          {figures.doctors && <DoctorRows doctors={figures.doctors} />}
        </div>
      )}
    </div>
  );
}
