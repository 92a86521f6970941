import { api } from '../shared/api.js';
import { Problem } from '../shared/form.js';
import { useAction } from '../shared/ui.js';
import type { Notice } from './types.js';

const stamp = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/** In-app notifications, newest first; new ones arrive live (`notification.created`). */
export function Notifications(props: {
  items: Notice[] | undefined;
  error: unknown;
  onRead: (n: Notice) => void;
}) {
  const { items } = props;
  const unread = items?.filter((n) => !n.readAt).length ?? 0;
  const { error, run } = useAction();
  return (
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">
        Notifications{unread > 0 && ' '}
        {unread > 0 && <span class="badge notifications-badge">{unread} new</span>}
      </h2>
      <Problem error={props.error ?? error} />
      {!items ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">No notifications.</p>
      ) : (
        <ul class="plain notices" aria-live="polite" aria-relevant="additions">
          {items.map((n) => (
            <li key={n.id} class={n.readAt ? 'read' : 'unread'}>
              <p>
                <strong>{n.title}</strong> <span class="muted">· {stamp(n.createdAt)}</span>
              </p>
              <p>{n.body}</p>
              {!n.readAt && (
                <button
                  type="button"
                  class="link"
                  aria-label={`Mark as read: ${n.title}`}
                  onClick={() =>
                    void run(async () =>
                      props.onRead(await api<Notice>('POST', `/v1/notifications/${n.id}/read`)),
                    )
                  }
                >
                  Mark as read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
