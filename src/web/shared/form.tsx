import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from './api.js';

/*
 * The form pieces of every page. Ids come from useId, so a label repeated on one page (a "Name" in two
 * forms, a "From" in every opening of the hours editor) stays tied to its own control, and the label is
 * the accessible name screen readers and the browser tests find a control by.
 */

type InputType =
  | 'text'
  | 'email'
  | 'password'
  | 'tel'
  | 'url'
  | 'search'
  | 'number'
  | 'date'
  | 'time'
  | 'datetime-local'
  | 'month';

/** A labelled input; `hint` is read with it (aria-describedby), `optional` says "(optional)" after the label. */
export function Input(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: InputType;
  required?: boolean;
  optional?: boolean;
  readOnly?: boolean;
  autocomplete?: string;
  placeholder?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email' | 'url' | 'tel' | 'search';
  min?: string | number;
  max?: string | number;
  step?: string | number;
  maxLength?: number;
  pattern?: string;
  hint?: string;
  /** Extra classes for the field's box (`field doc-narrow`). */
  class?: string;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      <label for={id}>
        {props.label}
        {props.optional && <span class="optional"> (optional)</span>}
      </label>
      <input
        id={id}
        // preact types each input type as its own variant; the union of several is one of them at runtime.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        readOnly={props.readOnly}
        autocomplete={props.autocomplete as 'on'}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        step={props.step}
        maxLength={props.maxLength}
        pattern={props.pattern}
        aria-describedby={hintId}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint && (
        <span id={hintId} class="hint small">
          {props.hint}
        </span>
      )}
    </div>
  );
}

/** A labelled multi-line text field. */
export function TextArea(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  rows?: number;
  maxLength?: number;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        rows={props.rows ?? 3}
        maxLength={props.maxLength}
        required={props.required}
        value={props.value}
        onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

/** A form's onSubmit: the page stays (no navigation) and `action` runs. */
export function handleSubmit(action: () => unknown) {
  return (e: Event) => {
    e.preventDefault();
    void action();
  };
}

type TextKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F];

/**
 * Binds Inputs to the text fields of a form's state: `const field = bindFields(form, setForm)`, then
 * `<Input label="Email" {...field('email')} />`.
 */
export function bindFields<F extends object>(form: F, set: (next: F) => void) {
  return (key: TextKey<F>) => ({
    value: form[key] as string,
    onInput: (v: string) => set({ ...form, [key]: v }),
  });
}

/** A labelled select: its choices as `options`, as <option> children, or both (options first). */
export function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options?: readonly { value: string; label: string }[];
  children?: ComponentChildren;
  required?: boolean;
  disabled?: boolean;
  class?: string;
}) {
  const id = useId();
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        {props.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {props.children}
      </select>
    </div>
  );
}

/** Checkboxes in a fieldset: the legend names the group, each label its box. */
export function CheckGroup(props: {
  legend: ComponentChildren;
  options: readonly { value: string; label: string }[];
  checked: readonly string[];
  onChange: (checked: string[]) => void;
}) {
  const id = useId();
  return (
    <fieldset class="checks">
      <legend>{props.legend}</legend>
      {props.options.map((o, i) => {
        const boxId = `${id}-${i}`;
        const on = props.checked.includes(o.value);
        return (
          <label key={o.value} for={boxId} class="check">
            <input
              id={boxId}
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

/**
 * What went wrong, read out as it appears (role=alert): the API's sentence (or `messages[code]`, a page's
 * own words for a refusal it expects) and, for bad input, each field's message. `fieldName` names a
 * field as the form's label does: a function of the error's path (`body.rules.1.end`), or the labels of
 * the body's fields (`{ feeCents: 'Fee' }`, for `body.feeCents` and whatever is inside it); by default
 * the path's last named part (`body.patient.phone` → "Phone").
 */
export function Problem(props: {
  error: unknown;
  messages?: Record<string, string>;
  fieldName?: ((path: string) => string) | Record<string, string>;
}) {
  const { error } = props;
  if (!error) return null;
  let text: string;
  let fields: { path: string; message: string }[] = [];
  if (error instanceof ApiError) {
    text = props.messages?.[error.code] ?? error.detail;
    fields = error.errors;
  } else if (error instanceof TypeError) {
    text = 'The hub cannot be reached. Check the connection and try again.';
  } else text = error instanceof Error ? error.message : String(error);
  const { fieldName } = props;
  const name =
    typeof fieldName === 'function'
      ? fieldName
      : (path: string) => fieldName?.[path.split('.')[1] ?? ''] ?? lastName(path);
  return (
    <div class="error" role="alert">
      <p>{text}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.path} ${f.message}`}>
              {name(f.path)}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "body.patient.phone" → "Phone"; "body.events.0" → "Events". */
function lastName(path: string): string {
  const last =
    path
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? path;
  return last.charAt(0).toUpperCase() + last.slice(1);
}
