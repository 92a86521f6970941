import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { downloadFile } from '../shared/download.js';
import { CheckGroup, Input, Problem } from '../shared/form.js';
import { useAction } from '../shared/ui.js';

const DIMENSIONS = [
  { value: 'specialty', label: 'Specialty' },
  { value: 'weekday', label: 'Weekday' },
  { value: 'hour', label: 'Hour' },
  { value: 'city', label: 'City' },
  { value: 'month', label: 'Month' },
];

interface ResearchSummary {
  cells: unknown[];
  suppressed: number;
  k: number;
}

/** The de-identified research export: months, the cells' dimensions and k; a preview count, then the file. */
export function ResearchExport() {
  const thisMonth = new Date().toISOString().slice(0, 7);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [by, setBy] = useState(['specialty', 'weekday', 'hour', 'city']);
  const [k, setK] = useState('10');
  const [summary, setSummary] = useState<ResearchSummary>();
  const action = useAction();
  const query = () =>
    new URLSearchParams({
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      by: by.join(','),
      k,
    }).toString();

  return (
    <div>
      <p class="hint">
        Counts of appointments by the chosen dimensions, with no names, ids or dates. A cell of fewer than k
        patients is withheld, and so is any cell that could be worked out from the others and the total. Empty
        months mean the last twelve full months.
      </p>
      <div class="row">
        <Input label="From month" type="month" optional value={from} onInput={setFrom} max={thisMonth} />
        <Input label="To month" type="month" optional value={to} onInput={setTo} max={thisMonth} />
        <Input label="k (fewest patients per cell)" type="number" min="5" required value={k} onInput={setK} />
      </div>
      <CheckGroup legend="Cells by" options={DIMENSIONS} checked={by} onChange={setBy} />
      <Problem error={action.error} />
      <div class="row">
        <button
          type="button"
          class="secondary"
          disabled={action.busy || by.length === 0}
          onClick={() =>
            void action.run(async () =>
              setSummary(await api<ResearchSummary>('GET', `/v1/research/flow?${query()}`)),
            )
          }
        >
          Preview
        </button>
        <button
          type="button"
          disabled={action.busy || by.length === 0}
          onClick={() =>
            void action.run(() => downloadFile(`/v1/research/flow?${query()}`, 'research-flow.json'))
          }
        >
          Download research export
        </button>
      </div>
      {summary && (
        <p role="status">
          {summary.cells.length} cells released, {summary.suppressed} withheld (k = {summary.k}).
        </p>
      )}
    </div>
  );
}
