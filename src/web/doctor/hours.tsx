import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { handleSubmit, Input, Problem, Select } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import { type Availability, type Rule, WEEKDAYS } from './types.js';

/** One opening being edited: form strings, plus the validity dates the server keeps (not edited here). */
interface Row {
  key: number;
  weekday: string;
  start: string;
  end: string;
  slotMinutes: string;
  validFrom: string | null;
  validTo: string | null;
}

const DAY_OPTIONS = WEEKDAYS.map((name, i) => ({ value: String(i + 1), label: name.slice(0, 3) }));
const FIELD_NAMES: Record<string, string> = {
  weekday: 'Day',
  start: 'From',
  end: 'Until',
  slotMinutes: 'Slot length',
};

// A time input cannot show 24:00: the end of the day is 00:00 on screen and 24:00 to the API.
const endToScreen = (end: string) => (end === '24:00' ? '00:00' : end);
const endToApi = (end: string) => (end === '00:00' ? '24:00' : end);

/**
 * The weekly hours: openings (weekday, from, until, slot length) and the break between slots, in the
 * clinic's time. Saving replaces them all (PUT) and shows what the server kept.
 */
export function HoursEditor(props: { doctorId: string; timezone: string; onSaved: () => void }) {
  const path = `/v1/doctors/${props.doctorId}/availability`;
  const [rows, setRows] = useState<Row[]>();
  const [buffer, setBuffer] = useState('0');
  const [saved, setSaved] = useState(false);
  const [loadError, setLoadError] = useState<unknown>();
  const keys = useRef(0);
  const { error, busy, run, setError } = useAction();

  const fromServer = (a: Availability) => {
    const sorted = [...a.rules].sort((x, y) => x.weekday - y.weekday || x.start.localeCompare(y.start));
    setRows(
      sorted.map((r: Rule) => ({
        key: ++keys.current,
        weekday: String(r.weekday),
        start: r.start,
        end: endToScreen(r.end),
        slotMinutes: String(r.slotMinutes),
        validFrom: r.validFrom,
        validTo: r.validTo,
      })),
    );
    setBuffer(String(a.bufferMinutes));
  };
  useEffect(() => {
    api<Availability>('GET', path).then(fromServer, setLoadError);
  }, [path]);

  if (!rows) return loadError ? <Problem error={loadError} /> : <p>Loading your hours…</p>;

  const edited = () => {
    setSaved(false);
    setError(undefined); // a refusal was about what the form held then
  };
  const change = (key: number, patch: Partial<Row>) => {
    edited();
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const add = () => {
    const last = rows[rows.length - 1];
    edited();
    setRows([
      ...rows,
      {
        key: ++keys.current,
        weekday: last ? String((Number(last.weekday) % 7) + 1) : '1',
        start: last?.start ?? '09:00',
        end: last?.end ?? '12:30',
        slotMinutes: last?.slotMinutes ?? '30',
        validFrom: null,
        validTo: null,
      },
    ]);
  };
  const save = () =>
    run(async () => {
      const body = {
        rules: rows.map((r) => ({
          weekday: Number(r.weekday),
          start: r.start,
          end: endToApi(r.end),
          slotMinutes: Number(r.slotMinutes),
          ...(r.validFrom ? { validFrom: r.validFrom } : {}),
          ...(r.validTo ? { validTo: r.validTo } : {}),
        })),
        bufferMinutes: Number(buffer),
      };
      fromServer(await api<Availability>('PUT', path, body));
      setSaved(true);
      props.onSaved();
    });
  // "body.rules.1.end" → "Opening 2, Until"
  const fieldName = (p: string) => {
    const m = /^body\.rules\.(\d+)\.?(\w*)/.exec(p);
    if (m) return `Opening ${Number(m[1]) + 1}${m[2] ? `, ${FIELD_NAMES[m[2]] ?? m[2]}` : ''}`;
    return p === 'body.bufferMinutes' ? 'Break between slots' : p.replace(/^body\./, '');
  };

  return (
    <form onSubmit={handleSubmit(save)}>
      <p class="hint">
        In clinic time ({props.timezone}). Until 00:00 means until midnight. Saving replaces the whole week.
      </p>
      {rows.length === 0 && <p>No opening hours: patients cannot book you.</p>}
      {rows.map((r, i) => (
        <fieldset key={r.key} class="doc-rule">
          <legend>Opening {i + 1}</legend>
          <Select
            label="Day"
            value={r.weekday}
            options={DAY_OPTIONS}
            onChange={(v) => change(r.key, { weekday: v })}
          />
          <Input
            label="From"
            type="time"
            required
            value={r.start}
            onInput={(v) => change(r.key, { start: v })}
          />
          <Input
            label="Until"
            type="time"
            required
            value={r.end}
            onInput={(v) => change(r.key, { end: v })}
          />
          <Input
            label="Slot (minutes)"
            type="number"
            min="5"
            max="240"
            required
            value={r.slotMinutes}
            onInput={(v) => change(r.key, { slotMinutes: v })}
          />
          <button
            type="button"
            class="secondary"
            aria-label={`Remove opening ${i + 1}`}
            onClick={() => {
              edited();
              setRows(rows.filter((x) => x.key !== r.key));
            }}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <div class="row">
        <button type="button" class="secondary" onClick={add}>
          Add opening
        </button>
      </div>
      <Input
        label="Break between slots (minutes)"
        type="number"
        min="0"
        max="240"
        required
        value={buffer}
        class="doc-narrow"
        onInput={(v) => {
          edited();
          setBuffer(v);
        }}
      />
      <Problem error={error} fieldName={fieldName} />
      <div class="row">
        <button type="submit" disabled={busy}>
          Save hours
        </button>
        <p role="status" class="doc-ok">
          {saved ? 'Saved: the slots below are the new ones.' : ''}
        </p>
      </div>
    </form>
  );
}
