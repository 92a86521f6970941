import { useEffect, useState } from 'preact/hooks';
import { AnalyticsPanel } from '../shared/analytics.js';
import { api, sessionEnded, signOut, type User } from '../shared/api.js';
import { unlockAudioOnInteraction } from '../shared/audio-cue.js';
import { Problem } from '../shared/form.js';
import { mount, Shell, SignIn, useUser } from '../shared/ui.js';
import { WaitlistLength } from '../shared/waitlist-length.js';
import { Agenda } from './agenda.js';
import { DelayPanel } from './delay.js';
import { HoursEditor } from './hours.js';
import { PatientRecords } from './records.js';
import { SlotPreview } from './slot-preview.js';
import { TimeOffPanel } from './time-off.js';
import type { DoctorProfile } from './types.js';

/**
 * The doctor's page: today's agenda, live (a toast and a sound when someone books or cancels), a
 * "running late" button, the weekly hours with the slots they give, time off, and their own analytics.
 */
function DoctorHome(props: { onSignedOut: () => void }) {
  const [doctor, setDoctor] = useState<DoctorProfile>();
  const [problem, setProblem] = useState<unknown>();
  const [slotsVersion, setSlotsVersion] = useState(0);
  const bump = () => setSlotsVersion((v) => v + 1);

  useEffect(() => {
    (async () => {
      const me = await api<User>('GET', '/v1/me');
      if (me.role !== 'doctor')
        throw new Error('This page is for doctors. Sign out and sign in with a doctor account.');
      if (!me.doctorId)
        throw new Error('Your account has no doctor profile yet: an administrator creates it.');
      setDoctor(await api<DoctorProfile>('GET', `/v1/doctors/${me.doctorId}`));
    })().catch((err: unknown) => {
      if (sessionEnded(err)) props.onSignedOut();
      else setProblem(err);
    });
  }, []);

  if (!doctor) return problem ? <Problem error={problem} /> : <p>Loading…</p>;
  const tz = doctor.clinic.timezone;
  return (
    <div class="doc-layout">
      <div>
        <Agenda doctor={doctor} onSignedOut={props.onSignedOut} />
        <p class="card">
          <WaitlistLength doctorId={doctor.id} />
        </p>
        <section class="card" aria-labelledby="delay-title">
          <h2 id="delay-title">Running late</h2>
          <DelayPanel doctorId={doctor.id} />
        </section>
        <section class="card" aria-labelledby="off-title">
          <h2 id="off-title">Time off</h2>
          <TimeOffPanel doctorId={doctor.id} timezone={tz} onChanged={bump} />
        </section>
        <PatientRecords doctor={doctor} />
      </div>
      <section class="card" aria-labelledby="hours-title">
        <h2 id="hours-title">Weekly hours</h2>
        <HoursEditor doctorId={doctor.id} timezone={tz} onSaved={bump} />
        <SlotPreview doctorId={doctor.id} timezone={tz} version={slotsVersion} />
      </section>
      <section class="card doc-wide" aria-labelledby="analytics-title">
        <h2 id="analytics-title">Analytics</h2>
        <AnalyticsPanel path={`/v1/doctors/${doctor.id}/analytics`} timezone={tz} filename="my-analytics" />
      </section>
    </div>
  );
}

function DoctorPage() {
  const [user, setUser] = useUser();
  const signedOut = () => {
    void signOut();
    setUser(undefined);
  };
  return (
    <Shell title="Doctor" user={user} onSignOut={() => setUser(undefined)}>
      {user ? (
        <DoctorHome key={user.id} onSignedOut={signedOut} />
      ) : (
        <SignIn
          onSignedIn={setUser}
          hint="Your agenda, hours and time off. Sign in with your doctor account."
        />
      )}
    </Shell>
  );
}

unlockAudioOnInteraction();
mount(<DoctorPage />);
