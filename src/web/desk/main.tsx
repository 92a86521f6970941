import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, sessionEnded, type User } from '../shared/api.js';
import { day } from '../shared/clinic-time.js';
import { Input, Problem } from '../shared/form.js';
import { mount, OfflineBanner, Shell, SignIn, Toasts, useToasts, useUser } from '../shared/ui.js';
import { type Desk, DeskContext } from './context.js';
import { DisplayTokens } from './display-tokens.js';
import { DoctorCard } from './doctor-card.js';
import { PhoneBooking } from './phone-booking.js';
import { useQueue } from './use-queue.js';
import { WalkInForm } from './walk-in.js';

/**
 * The front desk (`/desk`, a staff account): the clinic's queue for today, live, with the actions of
 * the day (check in, call next, complete, no-show, delays, rooms), walk-ins, phone bookings, and the
 * waiting-room screens. Only the public API and the socket.
 */
function DeskPage({ clinicId, onExpired }: { clinicId: string; onExpired: () => void }) {
  const { queue, error, online, reload } = useQueue(clinicId);
  // The session ended (signed out elsewhere, refresh refused): back to the sign-in form.
  useEffect(() => {
    if (sessionEnded(error)) onExpired();
  }, [error]);
  // Short notices ("A-003 checked in"), three at most, each gone after a few seconds.
  const [notices, notify] = useToasts({ ttlMs: 6000, max: 3 });
  const [filter, setFilter] = useState('');
  const [clinicName, setClinicName] = useState<string>();
  useEffect(() => {
    api<{ name: string }>('GET', `/v1/clinics/${clinicId}`).then(
      (c) => setClinicName(c.name),
      () => {},
    );
  }, [clinicId]);

  if (!queue) {
    return error ? <Problem error={error} /> : <p role="status">Loading the queue…</p>;
  }
  const desk: Desk = {
    clinicId,
    date: queue.date,
    timezone: queue.timezone,
    doctors: queue.doctors,
    notify,
    reload,
  };
  const needle = filter.trim().toLowerCase();
  const waiting = queue.doctors.reduce((n, d) => n + d.waiting.length, 0);
  const inside = queue.doctors.filter((d) => d.current).length;
  return (
    <DeskContext.Provider value={desk}>
      <OfflineBanner online={online} />
      <div class="desk-bar">
        <p class="desk-day">
          <strong>{clinicName ?? 'Your clinic'}</strong> · {day(queue.date)} ·{' '}
          <span>
            {waiting} waiting · {inside} in consultation
          </span>
        </p>
        <Input
          label="Find a patient"
          type="search"
          value={filter}
          onInput={setFilter}
          placeholder="Name or ticket"
          autocomplete="off"
          class="find"
        />
      </div>
      {error !== undefined && <Problem error={error} />}
      <div class="desk">
        <div class="desk-queue">
          {queue.doctors.length === 0 ? (
            <p class="card">This clinic has no doctors yet.</p>
          ) : (
            queue.doctors.map((d) => <DoctorCard key={d.doctorId} doctor={d} filter={needle} />)
          )}
        </div>
        <aside class="desk-side" aria-label="Bookings and screens">
          <WalkInForm />
          <PhoneBooking />
          <DisplayTokens />
        </aside>
      </div>
      <Toasts items={notices} />
    </DeskContext.Provider>
  );
}

function App() {
  const [user, setUser] = useUser();
  const [me, setMe] = useState<User>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!user) {
      setMe(undefined);
      return;
    }
    // The session's copy may be old (a desk moved to another clinic): ask who this is now.
    api<User>('GET', '/v1/me').then(setMe, (err: unknown) => {
      if (sessionEnded(err)) setUser(undefined);
      else setError(err);
    });
  }, [user?.id]);

  let content: ComponentChildren;
  if (!user) {
    content = <SignIn onSignedIn={setUser} hint="The front desk signs in with its clinic's staff account." />;
  } else if (error) {
    content = <Problem error={error} />;
  } else if (!me) {
    content = <p role="status">Loading…</p>;
  } else if (me.role !== 'staff' || !me.clinicId) {
    content = (
      <p class="card narrow" role="alert">
        This page is for a clinic's front desk; {me.name} is signed in as {me.role}. Sign out and sign in with
        a staff account.
      </p>
    );
  } else content = <DeskPage clinicId={me.clinicId} onExpired={() => setUser(undefined)} />;

  return (
    <Shell title="Front desk" user={user} onSignOut={() => setUser(undefined)}>
      {content}
    </Shell>
  );
}

mount(<App />);
