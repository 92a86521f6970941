import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { handleSubmit, Input, Problem } from '../shared/form.js';
import { useAct } from './act.js';
import { useDesk } from './context.js';
import { Confirm } from './entries.js';

interface DisplayToken {
  id: string;
  label: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

interface CreatedToken {
  id: string;
  label: string;
  token: string;
  url: string;
}

/** "3 min ago", "yesterday": when a screen last asked for the board. */
function ago(iso: string): string {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (minutes < 1) return 'just now';
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  if (minutes < 48 * 60) return rtf.format(-Math.round(minutes / 60), 'hour');
  return rtf.format(-Math.round(minutes / 1440), 'day');
}

/**
 * The waiting-room screens: each opens /display/<clinicId>?token=… with a token of its own. A new
 * token is shown once (the hub keeps only its hash); revoking one blanks that screen at once.
 */
export function DisplayTokens() {
  const desk = useDesk();
  const [tokens, setTokens] = useState<DisplayToken[]>();
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreatedToken>();
  const list = useAct();
  const create = useAct();
  const path = `/v1/clinics/${desk.clinicId}/display-tokens`;
  const load = () =>
    api<{ items: DisplayToken[] }>('GET', path).then(
      (r) => setTokens(r.items),
      (err: unknown) => list.setError(err),
    );
  useEffect(() => {
    void load();
    // "Last seen" moves while the page stays open, and when the desk comes back from opening a screen.
    const timer = setInterval(() => void load(), 30_000);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [desk.clinicId]);

  const link = created ? `${location.origin}${created.url}` : '';
  const active = tokens?.filter((t) => !t.revokedAt) ?? [];
  const revoked = tokens?.filter((t) => t.revokedAt) ?? [];

  return (
    <section class="card" aria-labelledby="screens-title">
      <h2 id="screens-title">Waiting-room screens</h2>
      <form
        onSubmit={handleSubmit(async () => {
          setCreated(undefined);
          const t = await create.act(
            () => api<CreatedToken>('POST', path, { label: label.trim() }),
            (t) => `Screen link created: ${t.label}`,
          );
          if (t) {
            setCreated(t);
            setLabel('');
            void load();
          }
        })}
      >
        <Input
          label="Screen name"
          autocomplete="off"
          value={label}
          onInput={setLabel}
          required
          maxLength={100}
          hint='Where it hangs, e.g. "Waiting room TV".'
        />
        <Problem error={create.error} />
        <button type="submit" disabled={create.busy}>
          Create screen link
        </button>
      </form>
      {created && (
        <div class="new-token" role="status">
          <p>
            <strong>Link for {created.label}</strong> — shown only now: open it on that screen, or copy it.
          </p>
          <Input label="Screen link" value={link} onInput={() => {}} readOnly />
          <p class="row">
            <a class="button" href={created.url} target="_blank" rel="noopener">
              Open the screen<span class="sr-only"> {created.label} (new tab)</span>
            </a>
            <button
              type="button"
              class="secondary"
              onClick={() => void navigator.clipboard?.writeText(link).then(() => desk.notify('Link copied'))}
            >
              Copy link
            </button>
          </p>
        </div>
      )}
      <Problem error={list.error} />
      {tokens && active.length === 0 && <p class="muted">No screen is connected yet.</p>}
      {active.length > 0 && (
        <ul class="entries tokens" aria-label="Screens">
          {active.map((t) => (
            <li key={t.id} class="entry">
              <div class="person">
                <span class="name">{t.label}</span>
                <span class="meta">{t.lastSeenAt ? `last seen ${ago(t.lastSeenAt)}` : 'never opened'}</span>
              </div>
              <span class="acts">
                <Confirm
                  label="Revoke"
                  name={`Revoke ${t.label}`}
                  confirm={`Confirm revoking ${t.label}`}
                  onConfirm={() =>
                    void list
                      .act(
                        () => api('DELETE', `${path}/${t.id}`),
                        () => `${t.label} revoked: that screen goes blank`,
                      )
                      .then(load)
                  }
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      {revoked.length > 0 && (
        <details class="revoked">
          <summary>Revoked screens ({revoked.length})</summary>
          <ul class="plain">
            {revoked.map((t) => (
              <li key={t.id}>
                {t.label} <span class="muted">— revoked {ago(t.revokedAt!)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
