import type { ComponentChildren } from 'preact';

/**
 * Form controls for pages that repeat a label (two "Name" fields, one editor per row): like ui.tsx's
 * Field, but the caller gives the id, so ids stay unique and every label names its own control.
 */

type InputType =
  | 'text'
  | 'email'
  | 'password'
  | 'tel'
  | 'url'
  | 'date'
  | 'time'
  | 'datetime-local'
  | 'number';

export function Input(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: InputType;
  required?: boolean;
  autocomplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email' | 'url' | 'tel';
  min?: string;
  max?: string;
  step?: string;
  hint?: string;
  class?: string;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        // preact types each input type as its own variant; the union of several is one of them at runtime.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete as 'on'}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        step={props.step}
        aria-describedby={hintId}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint && (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function Select(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly { value: string; label: string }[];
  required?: boolean;
  class?: string;
}) {
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        required={props.required}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Checkboxes in a fieldset: the legend names the group, each label its box. */
export function CheckGroup(props: {
  id: string;
  legend: ComponentChildren;
  options: readonly { value: string; label: string }[];
  checked: readonly string[];
  onChange: (checked: string[]) => void;
}) {
  return (
    <fieldset class="checks">
      <legend>{props.legend}</legend>
      {props.options.map((o) => {
        const id = `${props.id}-${o.value.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
        const on = props.checked.includes(o.value);
        return (
          <label key={o.value} for={id} class="check">
            <input
              id={id}
              type="checkbox"
              checked={on}
              onChange={() =>
                props.onChange(on ? props.checked.filter((v) => v !== o.value) : [...props.checked, o.value])
              }
            />{' '}
            {o.label}
          </label>
        );
      })}
    </fieldset>
  );
}
