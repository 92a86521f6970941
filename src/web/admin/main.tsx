import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { sessionEnded, signOut } from '../shared/api.js';
import { fetchAll } from '../shared/fetch-all.js';
import { mount, Shell, SignIn, useUser } from '../shared/ui.js';
import { Accounts } from './accounts.js';
import { ClinicAnalytics } from './analytics.js';
import { BreakGlass } from './break-glass.js';
import { Clinics } from './clinics.js';
import { Doctors } from './doctors.js';
import { ResearchExport } from './research.js';
import { forgetSessionAccounts, useSessionAccounts } from './session-accounts.js';
import type { Clinic } from './types.js';
import { Webhooks } from './webhooks.js';

function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section id={props.id} class="card" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/**
 * Administration: clinics, their doctors, front-desk and admin accounts, clinics' webhooks, a clinic's
 * analytics and the research export. Every
 * list is the server's, fetched again after each change.
 */
function AdminHome(props: { onSignedOut: () => void }) {
  const [clinics, setClinics] = useState<Clinic[]>();
  const [error, setError] = useState<unknown>();
  const [clinicId, setClinicId] = useState('');
  const [created, addCreated] = useSessionAccounts();

  const reload = async () => {
    try {
      const list = await fetchAll<Clinic>('/v1/clinics');
      setClinics(list);
      setError(undefined);
      setClinicId((id) => (list.some((c) => c.id === id) ? id : (list[0]?.id ?? '')));
    } catch (err) {
      if (sessionEnded(err)) props.onSignedOut();
      else setError(err);
    }
  };
  useEffect(() => {
    void reload();
  }, []);

  const list = clinics ?? [];
  const perClinic = { clinics: list, clinicId, setClinicId };
  return (
    <>
      <nav aria-label="Sections" class="adm-nav">
        <a href="#clinics">Clinics</a>
        <a href="#doctors">Doctors</a>
        <a href="#accounts">Accounts</a>
        <a href="#webhooks">Webhooks</a>
        <a href="#analytics">Analytics</a>
        <a href="#research">Research export</a>
        <a href="#records">Records</a>
      </nav>
      <div class="adm-layout">
        <Section id="clinics" title="Clinics">
          <Clinics clinics={clinics} error={error} reload={reload} onCreated={(c) => setClinicId(c.id)} />
        </Section>
        <Section id="doctors" title="Doctors">
          {list.length === 0 ? <p>Add a clinic first.</p> : <Doctors {...perClinic} onAccount={addCreated} />}
        </Section>
        <Section id="accounts" title="Front desk and admin accounts">
          <Accounts {...perClinic} created={created} onAccount={addCreated} />
        </Section>
        <Section id="webhooks" title="Webhooks">
          {list.length === 0 ? <p>Add a clinic first.</p> : <Webhooks {...perClinic} />}
        </Section>
        <Section id="analytics" title="Analytics">
          {list.length === 0 ? <p>Add a clinic first.</p> : <ClinicAnalytics {...perClinic} />}
        </Section>
        <Section id="research" title="Research export">
          <ResearchExport />
        </Section>
        <Section id="records" title="Emergency record access">
          <BreakGlass />
        </Section>
      </div>
    </>
  );
}

function AdminPage() {
  const [user, setUser] = useUser();
  const out = () => {
    forgetSessionAccounts();
    setUser(undefined);
  };
  return (
    <Shell title="Administration" user={user} onSignOut={out}>
      {!user ? (
        <SignIn
          onSignedIn={setUser}
          hint="Clinics, doctors, accounts and webhooks. Sign in as an administrator."
        />
      ) : user.role !== 'admin' ? (
        <section class="card narrow" aria-labelledby="not-admin">
          <h2 id="not-admin">Administrators only</h2>
          <p role="alert">
            {user.name} is signed in as {user.role}. Sign out, then sign in with an administrator account.
          </p>
          <button
            type="button"
            onClick={async () => {
              await signOut();
              out();
            }}
          >
            Sign out
          </button>
        </section>
      ) : (
        <AdminHome
          key={user.id}
          onSignedOut={() => {
            void signOut();
            out();
          }}
        />
      )}
    </Shell>
  );
}

mount(<AdminPage />);
