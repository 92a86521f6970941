import { ApiError } from './api.js';

/**
 * A refusal from the API with what was wrong, field by field (a validation_failed answer lists them
 * in `errors`), read out by screen readers as it appears. `fieldName` turns an error's path
 * (`body.rules.1.end`) into words the form uses; by default the path without `body.`.
 */
export function ProblemText(props: { error: unknown; fieldName?: (path: string) => string }) {
  const { error } = props;
  if (!error) return null;
  const name = props.fieldName ?? ((p: string) => p.replace(/^(body|query|params)\./, ''));
  const text =
    error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.errors : [];
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
