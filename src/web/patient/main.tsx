import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type User } from '../shared/api.js';
import { fetchAll, type ListPage } from '../shared/fetch-all.js';
import type { LiveEvent } from '../shared/live.js';
import { useLive } from '../shared/live.js';
import { mount, OfflineBanner, Shell, SignIn, Toasts, useToasts, useUser } from '../shared/ui.js';
import { MyAppointments } from './appointments.js';
import { useSettled } from './controls.js';
import { MyRecord } from './my-record.js';
import { Notifications } from './notifications.js';
import { DoctorSearch } from './search.js';
import type { Appointment, Doctor, Notice } from './types.js';
import { MyWaitlist } from './waitlist.js';
import { WeekGrid } from './week.js';

/**
 * The patient's page at `/`: find a doctor, watch their week live, hold a time and book it; the
 * appointments and notifications of the signed-in patient, kept current from their own room.
 */
function PatientPage() {
  const [user, setUser] = useUser();
  const [doctor, setDoctor] = useState<Doctor>();
  const [moving, setMoving] = useState<Appointment>();
  const [openError, setOpenError] = useState<unknown>();
  const mine = useMine(user, () => signedOut());

  const openDoctor = (d: Doctor) => {
    setMoving(undefined);
    setDoctor(d);
  };
  const reschedule = async (a: Appointment) => {
    try {
      setDoctor(await api<Doctor>('GET', `/v1/doctors/${a.doctorId}`));
      setMoving(a);
      setOpenError(undefined);
    } catch (err) {
      setOpenError(err);
    }
  };
  const signedOut = () => {
    setUser(undefined);
    setMoving(undefined);
  };

  return (
    <Shell title="Book a doctor" user={user} onSignOut={signedOut}>
      <div class="patient-layout">
        <div class="patient-main">
          {!user && (
            <p class="signin-hint">
              Look for a doctor below; <a href="#signin-title">sign in or create an account</a> to book.
            </p>
          )}
          {doctor ? (
            <WeekGrid
              key={`${doctor.id} ${user?.id ?? ''}`}
              doctor={doctor}
              user={user}
              moving={moving}
              mine={mine.appointments ?? []}
              onBooked={() => {
                setMoving(undefined);
                mine.reload();
              }}
              onStopMoving={() => setMoving(undefined)}
              onJoinedWaitlist={mine.waitlistChanged}
              onClose={() => {
                setDoctor(undefined);
                setMoving(undefined);
              }}
            />
          ) : (
            <DoctorSearch onOpen={openDoctor} />
          )}
        </div>
        <aside class="patient-side" aria-label="Your account">
          {!user ? (
            <SignIn
              onSignedIn={setUser}
              allowRegister
              hint="Sign in to hold and book a time. You can look for doctors without an account."
            />
          ) : user.role !== 'patient' ? (
            <p class="card">
              This page is for patients. Your page is <a href={pageOf(user)}>{pageOf(user)}</a>.
            </p>
          ) : (
            <>
              <OfflineBanner online={mine.online} />
              <MyAppointments
                items={mine.appointments}
                error={openError ?? mine.error}
                onChanged={mine.reload}
                onReschedule={(a) => void reschedule(a)}
              />
              <MyWaitlist version={mine.waitlistVersion} onBooked={mine.reload} />
              <Notifications items={mine.notices} error={undefined} onRead={mine.markRead} />
              <MyRecord user={user} />
            </>
          )}
        </aside>
      </div>
      <Toasts items={mine.toasts} />
    </Shell>
  );
}

const pageOf = (u: User) => (u.role === 'doctor' ? '/doctor' : u.role === 'staff' ? '/desk' : '/admin');

/**
 * The signed-in patient's appointments and notifications, from the API and then from `user:<id>`:
 * an appointment event refetches the list (the server's word), a notification is added as it comes.
 */
function useMine(user: User | undefined, onSessionLost: () => void) {
  const patient = user?.role === 'patient' ? user : undefined;
  const [appointments, setAppointments] = useState<Appointment[]>();
  const [notices, setNotices] = useState<Notice[]>();
  const [error, setError] = useState<unknown>();
  const [waitlistVersion, setWaitlistVersion] = useState(0);
  const waitlistChanged = () => setWaitlistVersion((v) => v + 1);
  const [toasts, toast] = useToasts({ ttlMs: 6000, max: Number.POSITIVE_INFINITY });
  const seq = useRef(0);

  const reload = () => {
    if (!patient) return;
    const mine = ++seq.current;
    fetchAll<Appointment>('/v1/appointments').then(
      (items) => {
        if (mine !== seq.current) return;
        setAppointments(items);
        setError(undefined);
      },
      (err) => mine === seq.current && setError(err),
    );
  };
  const reloadNotices = () => {
    if (!patient) return;
    api<ListPage<Notice>>('GET', '/v1/notifications?limit=20').then((p) => setNotices(p.items), setError);
  };
  useEffect(() => {
    setAppointments(undefined);
    setNotices(undefined);
    reload();
    reloadNotices();
  }, [patient?.id]);

  const onEvent = (e: LiveEvent) => {
    if (e.type.startsWith('appointment.')) reload();
    // An offer made or ended, or a booking that closed an entry: the waitlist is the server's word.
    if (e.type.startsWith('waitlist.') || e.type.startsWith('appointment.')) waitlistChanged();
    if (e.type === 'notification.created') {
      const n = e.data as Omit<Notice, 'readAt'>;
      setNotices((old) => [{ ...n, readAt: null }, ...(old ?? []).filter((o) => o.id !== n.id)]);
      toast(n.title);
    }
  };
  const live = useSettled(
    useLive({
      rooms: patient ? [`user:${patient.id}`] : [],
      onSessionLost,
      onEvent,
      onReset: () => {
        reload();
        reloadNotices();
        waitlistChanged();
      },
    }),
  );
  const online = live.connected;
  // A reconnection may have missed nothing (resync), but a fresh list costs little and is certain.
  useEffect(() => {
    if (online) {
      reload();
      reloadNotices();
      waitlistChanged();
    }
  }, [online]);

  return {
    appointments: patient ? appointments : undefined,
    notices,
    error,
    toasts,
    online: live.shown || !patient,
    reload,
    waitlistVersion,
    waitlistChanged,
    markRead: (n: Notice) => setNotices((old) => old?.map((o) => (o.id === n.id ? n : o))),
  };
}

mount(<PatientPage />);
