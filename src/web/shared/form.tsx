import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from './api.js';

/*
 * Form pieces for pages with several forms at once (the desk): ids come from useId, so two fields with
 * the same label in two forms ("Name") stay tied to their own label.
 */

/** A labelled input with a unique id; `hint` is read with it (aria-describedby). */
export function Input(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'email' | 'tel' | 'number' | 'url';
  pattern?: string;
  required?: boolean;
  /** Says "(optional)" after the label. */
  optional?: boolean;
  autocomplete?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  hint?: string;
  readOnly?: boolean;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.optional && <span class="optional"> (optional)</span>}
      </label>
      <input
        id={id}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        readOnly={props.readOnly}
        autocomplete={(props.autocomplete ?? 'off') as 'on'}
        min={props.min}
        max={props.max}
        maxLength={props.maxLength}
        pattern={props.pattern}
        inputMode={props.inputMode}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint && (
        <span id={`${id}-hint`} class="hint small">
          {props.hint}
        </span>
      )}
    </div>
  );
}

/** A labelled select. */
export function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  disabled?: boolean;
  children: ComponentChildren;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        {props.children}
      </select>
    </div>
  );
}

/** What went wrong, read out as it appears: the API's sentence and, for bad input, each field's message. */
export function Problem({ error, messages }: { error: unknown; messages?: Record<string, string> }) {
  if (!error) return null;
  let text: string;
  let fields: { path: string; message: string }[] = [];
  if (error instanceof ApiError) {
    text = messages?.[error.code] ?? error.detail;
    fields = error.errors;
  } else if (error instanceof TypeError) {
    text = 'The hub cannot be reached. Check the connection and try again.';
  } else text = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <p>{text}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              {fieldName(f.path)} {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "body.patient.phone" → "Phone". */
function fieldName(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.charAt(0).toUpperCase() + last.slice(1);
}
