import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import type { ListPage } from '../shared/fetch-all.js';
import { CheckGroup, handleSubmit, Input, Problem } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import { ClinicSelect } from './clinic-select.js';
import { type Clinic, type Delivery, WEBHOOK_EVENTS, type Webhook } from './types.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-GB') : '—');

/** An endpoint's delivery log, newest first, a page at a time. */
function Deliveries(props: { clinicId: string; webhook: Webhook }) {
  const path = `/v1/clinics/${props.clinicId}/webhooks/${props.webhook.id}/deliveries`;
  const [items, setItems] = useState<Delivery[]>();
  const [next, setNext] = useState<string | null>(null);
  const { error, busy, run } = useAction();
  const load = (cursor?: string) =>
    run(async () => {
      const page = await api<ListPage<Delivery>>('GET', `${path}${cursor ? `?cursor=${cursor}` : ''}`);
      setItems((old) => (cursor ? [...(old ?? []), ...page.items] : page.items));
      setNext(page.nextCursor);
    });
  useEffect(() => {
    void load();
  }, [path]);
  const caption = `Deliveries to ${props.webhook.url}`;
  return (
    <div class="adm-deliveries">
      <Problem error={error} />
      {items && items.length === 0 && <p>No deliveries yet.</p>}
      {items && items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1).
        <section class="adm-scroll" tabIndex={0} aria-label={caption}>
          <table>
            <caption class="sr-only">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Answer</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td>
                    <span class={`badge adm-${d.status}`}>{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.responseStatus ?? d.lastError ?? '—'}</td>
                  <td>{when(d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div class="row">
        <button type="button" class="secondary" disabled={busy} onClick={() => void load()}>
          Refresh deliveries
        </button>
        {next && (
          <button type="button" class="secondary" disabled={busy} onClick={() => void load(next)}>
            Older deliveries
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * A clinic's webhook endpoints: register one (the signing secret is shown here once), remove one,
 * and read each one's deliveries.
 */
export function Webhooks(props: { clinics: Clinic[]; clinicId: string; setClinicId: (id: string) => void }) {
  const { clinicId } = props;
  const path = `/v1/clinics/${clinicId}/webhooks`;
  const [hooks, setHooks] = useState<Webhook[]>();
  const [open, setOpen] = useState<string>();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENTS]);
  const [secret, setSecretState] = useState<{ url: string; secret: string }>();
  const [copied, setCopied] = useState<string>();
  const setSecret = (s: { url: string; secret: string } | undefined) => {
    setCopied(undefined);
    setSecretState(s);
  };
  const listing = useAction();
  const adding = useAction();

  const load = () =>
    listing.run(async () => {
      setHooks((await api<{ items: Webhook[] }>('GET', path)).items);
    });
  useEffect(() => {
    setHooks(undefined);
    setSecret(undefined);
    if (clinicId) void load();
  }, [clinicId]);

  const add = () =>
    adding.run(async () => {
      const created = await api<Webhook & { secret: string }>('POST', path, { url, events });
      setSecret({ url: created.url, secret: created.secret });
      setUrl('');
      await load();
    });
  const remove = (h: Webhook) =>
    listing.run(async () => {
      await api('DELETE', `${path}/${h.id}`);
      setHooks((await api<{ items: Webhook[] }>('GET', path)).items);
    });

  return (
    <>
      <ClinicSelect clinics={props.clinics} clinicId={props.clinicId} setClinicId={props.setClinicId} />
      {secret && (
        <section class="adm-secret" aria-labelledby="secret-title">
          <h3 id="secret-title">Signing secret, shown only now</h3>
          <p>
            Copy it into the receiver of {secret.url}: it checks the <code>X-BookingHub-Signature</code> of
            each delivery with it. The hub will not show it again.
          </p>
          <label for="webhook-secret">Signing secret</label>
          <textarea
            id="webhook-secret"
            readOnly
            rows={2}
            value={secret.secret}
            onFocus={(e) => e.currentTarget.select()}
          />
          <div class="row">
            {navigator.clipboard && (
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  navigator.clipboard.writeText(secret.secret).then(
                    () => setCopied('Copied.'),
                    () => setCopied('The browser refused: select the text and copy it.'),
                  )
                }
              >
                Copy secret
              </button>
            )}
            <button type="button" onClick={() => setSecret(undefined)}>
              I have saved it
            </button>
            <p role="status" class="adm-ok">
              {copied}
            </p>
          </div>
        </section>
      )}
      <Problem error={listing.error} />
      {!hooks ? (
        clinicId && !listing.error && <p>Loading webhooks…</p>
      ) : hooks.length === 0 ? (
        <p>No webhooks for this clinic.</p>
      ) : (
        <ul class="plain" aria-label="Webhook endpoints">
          {hooks.map((h) => (
            <li key={h.id} class="adm-item">
              <div class="adm-line">
                <div class="adm-url">
                  <strong>{h.url}</strong>
                  <div class="muted">
                    {h.active ? 'active' : `disabled ${when(h.disabledAt)}`}
                    {h.consecutiveFailures > 0 && ` · ${h.consecutiveFailures} failures in a row`} ·{' '}
                    {h.events.join(', ')}
                  </div>
                </div>
                <div class="row">
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={open === h.id}
                    aria-label={`Deliveries to ${h.url}`}
                    onClick={() => setOpen(open === h.id ? undefined : h.id)}
                  >
                    Deliveries
                  </button>
                  <button
                    type="button"
                    class="danger"
                    disabled={listing.busy}
                    aria-label={`Delete webhook ${h.url}`}
                    onClick={() => void remove(h)}
                  >
                    Delete
                  </button>
                </div>
              </div>
              {open === h.id && <Deliveries clinicId={clinicId} webhook={h} />}
            </li>
          ))}
        </ul>
      )}
      <form class="adm-form" aria-labelledby="new-webhook-title" onSubmit={handleSubmit(add)}>
        <h3 id="new-webhook-title">New webhook</h3>
        <Input
          label="Endpoint URL"
          type="url"
          required
          hint="https://… on a public address"
          value={url}
          onInput={setUrl}
        />
        <CheckGroup
          legend="Events"
          options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: e }))}
          checked={events}
          onChange={setEvents}
        />
        <Problem error={adding.error} />
        <button type="submit" disabled={adding.busy || !clinicId}>
          Add webhook
        </button>
      </form>
    </>
  );
}
