import { type ComponentChildren, render, type VNode } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { register, session, signIn, signOut, type User } from './api.js';
import { handleSubmit, Input, Problem } from './form.js';

/** The frame of every page: a skip link, the title, who is signed in, and the page's own content. */
export function Shell(props: {
  title: string;
  user?: User | undefined;
  onSignOut?: () => void;
  children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <h1>{props.title}</h1>
        {props.user && (
          <p class="who">
            {props.user.name} ({props.user.role}){' '}
            <button
              type="button"
              class="link"
              onClick={async () => {
                await signOut();
                props.onSignOut?.();
              }}
            >
              Sign out
            </button>
          </p>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** The person signed in on this tab, if any, and a setter for sign-in and sign-out. */
export function useUser(): [User | undefined, (u: User | undefined) => void] {
  return useState<User | undefined>(() => session()?.user);
}

/** Runs an action, keeping its error for <Problem> and a busy flag for the button. */
export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, setError };
}

/** Sign in (and, for patients, register) with email and password. */
export function SignIn(props: { onSignedIn: (u: User) => void; allowRegister?: boolean; hint?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [registering, setRegistering] = useState(false);
  const { error, busy, run } = useAction();
  return (
    <section class="card narrow" aria-labelledby="signin-title">
      <h2 id="signin-title">{registering ? 'Create an account' : 'Sign in'}</h2>
      {props.hint && <p class="hint">{props.hint}</p>}
      <form
        onSubmit={handleSubmit(() =>
          run(async () =>
            props.onSignedIn(
              registering ? await register({ email, password, name }) : await signIn(email, password),
            ),
          ),
        )}
      >
        {registering && (
          <Input label="Your name" value={name} onInput={setName} required autocomplete="name" />
        )}
        <Input label="Email" type="email" value={email} onInput={setEmail} required autocomplete="email" />
        <Input
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          required
          autocomplete={registering ? 'new-password' : 'current-password'}
        />
        <Problem error={error} />
        <button type="submit" disabled={busy}>
          {registering ? 'Create account' : 'Sign in'}
        </button>
        {props.allowRegister && (
          <button type="button" class="link" onClick={() => setRegistering(!registering)}>
            {registering ? 'I have an account' : 'Create an account'}
          </button>
        )}
      </form>
    </section>
  );
}

/** Shown when the live connection is down, so nobody trusts a stale screen. */
export function OfflineBanner({ online }: { online: boolean }) {
  return online ? null : (
    <p class="offline" role="status">
      Offline — reconnecting…
    </p>
  );
}

export interface Toast {
  id: string;
  text: string;
}

/** Notices that come and go (a booking arrived), announced politely to screen readers. */
export function Toasts({ items }: { items: Toast[] }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <p key={t.id} class="toast">
          {t.text}
        </p>
      ))}
    </div>
  );
}

export const money = (cents: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);

/**
 * The notices for <Toasts>: `push(text)` shows one for `ttlMs`, newest last, at most `max` at a time.
 * Ids come from a counter (crypto.randomUUID needs a secure context, and a clinic LAN may not be one).
 */
export function useToasts({ ttlMs = 8000, max = 4 } = {}): [Toast[], (text: string) => void] {
  const [items, setItems] = useState<Toast[]>([]);
  const next = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const t of pending) clearTimeout(t);
    };
  }, []);
  const push = useCallback(
    (text: string) => {
      const id = `toast-${++next.current}`;
      setItems((list) => [...list.slice(1 - max), { id, text }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setItems((list) => list.filter((t) => t.id !== id));
      }, ttlMs);
      timers.current.add(timer);
    },
    [ttlMs, max],
  );
  return [items, push];
}

/** Renders a page into #app, replacing the server's "Loading…" placeholder. */
export function mount(page: VNode): void {
  const root = document.getElementById('app')!;
  root.textContent = '';
  render(page, root);
}
