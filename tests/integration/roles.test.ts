import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  createAccount,
  createClinic,
  createDoctor,
  type TestAccount,
  useTestHub,
} from '../helpers/harness.js';
import type { Problem } from '../helpers/problems.js';

type User = { id: string; email: string; role: string; clinicId: string | null; doctorId: string | null };
type Session = { user: User; accessToken: string };
type Clinic = { id: string; name: string; phone: string | null; timezone: string };
type Doctor = { id: string; userId: string; feeCents: number; bio: string | null; clinic: { id: string } };

const ADMIN_EMAIL = 'root@clinic.example';
const ADMIN_PASSWORD = 'first admin password';

const clinicBody = () => ({
  name: `Clinic ${randomUUID().slice(0, 8)}`,
  address: 'Karl-Marx-Allee 1',
  city: 'Berlin',
  timezone: 'Europe/Berlin',
  lat: 52.52,
  lon: 13.41,
});
const userBody = (role: string, extra: Record<string, unknown> = {}) => ({
  email: `${role}-${randomUUID()}@example.com`,
  password: 'a long enough password',
  name: `New ${role}`,
  role,
  ...extra,
});

describe('who may do what: patients, staff, doctors and admins', () => {
  const hub = useTestHub({ ADMIN_EMAIL, ADMIN_PASSWORD });
  const api = client(hub);
  let admin: string;
  let patient: TestAccount;
  let clinicA: Clinic;
  let clinicB: Clinic;

  beforeAll(async () => {
    patient = await createAccount(hub, 'patient');
    clinicA = await createClinic(hub, { name: 'Clinic A' });
    clinicB = await createClinic(hub, { name: 'Clinic B' });
  });

  describe('the first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
    it('signs in through the API with those credentials and is an admin', async () => {
      const login = await api.post<Session>('/v1/auth/login', {
        email: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', clinicId: null });
      admin = login.body.accessToken;
      const me = await api.get<User>('/v1/me', admin);
      expect(me.body.role).toBe('admin');
    });

    it('a restart with the same settings (ensureAdmin again) neither duplicates it nor resets its password', async () => {
      await hub.services.auth.ensureAdmin({ email: ADMIN_EMAIL, password: 'some other password' });
      const [row] = await hub.sql<
        { n: number }[]
      >`select count(*)::int as n from users where lower(email) = ${ADMIN_EMAIL}`;
      expect(row!.n).toBe(1);
      // The existing password is left alone.
      const login = await api.post('/v1/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
    });
  });

  describe('a patient or an anonymous caller tries admin work', () => {
    it('a patient gets 403 forbidden creating a clinic, a doctor profile or an account', async () => {
      const doctorAccount = await createAccount(hub, 'doctor');
      const attempts = [
        api.post<Problem>('/v1/clinics', clinicBody(), patient.token),
        api.post<Problem>(
          '/v1/doctors',
          {
            userId: doctorAccount.id,
            clinicId: clinicA.id,
            specialties: ['cardiology'],
            feeCents: 5000,
            currency: 'EUR',
          },
          patient.token,
        ),
        api.post<Problem>('/v1/users', userBody('admin'), patient.token),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      const [row] = await hub.sql<
        { n: number }[]
      >`select count(*)::int as n from doctors where user_id = ${doctorAccount.id}`;
      expect(row!.n).toBe(0);
    });

    it('a patient cannot change a clinic or a doctor profile either', async () => {
      const { doctor } = await createDoctor(hub, clinicA.id);
      const clinic = await api.patch<Problem>(
        `/v1/clinics/${clinicA.id}`,
        { phone: '+49 30 1234567' },
        patient.token,
      );
      const profile = await api.patch<Problem>(`/v1/doctors/${doctor.id}`, { feeCents: 1 }, patient.token);
      expect([clinic.status, profile.status]).toEqual([403, 403]);
    });

    it('an anonymous caller gets 401 unauthorized for the same requests', async () => {
      const attempts = [
        api.post<Problem>('/v1/clinics', clinicBody()),
        api.post<Problem>('/v1/doctors', {}),
        api.post<Problem>('/v1/users', userBody('admin')),
        api.patch<Problem>(`/v1/clinics/${clinicA.id}`, { phone: '+49 30 1234567' }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    });
  });

  describe('an admin onboards a doctor', () => {
    it('creates a doctor account, then its profile; the doctor signs in and sees the profile id', async () => {
      const body = userBody('doctor', { name: 'Dr. Grace Hopper' });
      const account = await api.post<User>('/v1/users', body, admin);
      expect(account.status).toBe(201);
      expect(account.body).toMatchObject({ role: 'doctor', clinicId: null, doctorId: null });

      const profile = await api.post<Doctor>(
        '/v1/doctors',
        {
          userId: account.body.id,
          clinicId: clinicA.id,
          specialties: ['cardiology'],
          feeCents: 7000,
          currency: 'EUR',
        },
        admin,
      );
      expect(profile.status).toBe(201);
      expect(profile.body).toMatchObject({
        userId: account.body.id,
        feeCents: 7000,
        clinic: { id: clinicA.id },
      });

      const login = await api.post<Session>('/v1/auth/login', { email: body.email, password: body.password });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ role: 'doctor', doctorId: profile.body.id });
    });

    it('cannot give a profile to a patient account', async () => {
      const res = await api.post<Problem>(
        '/v1/doctors',
        {
          userId: patient.id,
          clinicId: clinicA.id,
          specialties: ['cardiology'],
          feeCents: 7000,
          currency: 'EUR',
        },
        admin,
      );
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.path)).toContain('body.userId');
    });

    it('staff accounts must name a clinic, and only staff may', async () => {
      const without = await api.post<Problem>('/v1/users', userBody('staff'), admin);
      expect(without.status).toBe(400);
      expect(without.body.code).toBe('validation_failed');
      expect(without.body.errors?.map((e) => e.path)).toEqual(['body.clinicId']);

      const patientWithClinic = await api.post<Problem>(
        '/v1/users',
        userBody('patient', { clinicId: clinicA.id }),
        admin,
      );
      expect(patientWithClinic.status).toBe(400);
      expect(patientWithClinic.body.errors?.map((e) => e.path)).toEqual(['body.clinicId']);

      const unknownClinic = await api.post<Problem>(
        '/v1/users',
        userBody('staff', { clinicId: randomUUID() }),
        admin,
      );
      expect(unknownClinic.status).toBe(400);
      expect(unknownClinic.body.errors?.map((e) => e.path)).toEqual(['body.clinicId']);

      const staff = await api.post<User>('/v1/users', userBody('staff', { clinicId: clinicA.id }), admin);
      expect(staff.status).toBe(201);
      expect(staff.body).toMatchObject({ role: 'staff', clinicId: clinicA.id });
    });
  });

  describe('staff of clinic A look after their own clinic only', () => {
    let staffA: TestAccount;
    beforeAll(async () => {
      staffA = await createAccount(hub, 'staff', { clinicId: clinicA.id });
    });
    const setPhone = (clinic: Clinic, phone: string) =>
      api.patch<Clinic & Problem>(`/v1/clinics/${clinic.id}`, { phone }, staffA.token);

    it('can change the phone number of clinic A', async () => {
      const res = await setPhone(clinicA, '+49 30 5550100');
      expect(res.status).toBe(200);
      expect(res.body.phone).toBe('+49 30 5550100');
      const clinic = await api.get<Clinic>(`/v1/clinics/${clinicA.id}`);
      expect(clinic.body.phone).toBe('+49 30 5550100');
    });

    it('cannot change clinic B', async () => {
      const res = await setPhone(clinicB, '+49 30 5550199');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      const clinic = await api.get<Clinic>(`/v1/clinics/${clinicB.id}`);
      expect(clinic.body.phone).toBeNull();
    });

    it("cannot change clinic A's time zone, even together with an allowed field", async () => {
      for (const patch of [
        { timezone: 'Europe/Lisbon' },
        { phone: '+49 30 5550111', timezone: 'Europe/Lisbon' },
      ]) {
        const res = await api.patch<Problem>(`/v1/clinics/${clinicA.id}`, patch, staffA.token);
        expect(res.status).toBe(403);
      }
      const clinic = await api.get<Clinic>(`/v1/clinics/${clinicA.id}`);
      expect(clinic.body).toMatchObject({ timezone: 'Europe/Berlin', phone: '+49 30 5550100' });
    });

    it('cannot create accounts or change doctor profiles', async () => {
      const { doctor } = await createDoctor(hub, clinicA.id);
      const user = await api.post('/v1/users', userBody('staff', { clinicId: clinicA.id }), staffA.token);
      const profile = await api.patch(`/v1/doctors/${doctor.id}`, { feeCents: 1 }, staffA.token);
      expect([user.status, profile.status]).toEqual([403, 403]);
    });

    it('an admin may change the time zone', async () => {
      const res = await api.patch<Clinic>(`/v1/clinics/${clinicB.id}`, { timezone: 'Europe/Vienna' }, admin);
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('Europe/Vienna');
    });
  });

  describe('a doctor edits its own profile', () => {
    let mine: Awaited<ReturnType<typeof createDoctor>>;
    let theirs: Awaited<ReturnType<typeof createDoctor>>;
    beforeAll(async () => {
      mine = await createDoctor(hub, clinicA.id, { feeCents: 5000 });
      theirs = await createDoctor(hub, clinicA.id, { feeCents: 6000 });
    });

    it('changes its bio and fee', async () => {
      const res = await api.patch<Doctor>(
        `/v1/doctors/${mine.doctor.id}`,
        { bio: 'Cardiologist with 10 years of practice.', feeCents: 5500 },
        mine.account.token,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ bio: 'Cardiologist with 10 years of practice.', feeCents: 5500 });
      const profile = await api.get<Doctor>(`/v1/doctors/${mine.doctor.id}`);
      expect(profile.body).toMatchObject({ bio: 'Cardiologist with 10 years of practice.', feeCents: 5500 });
    });

    it("cannot change another doctor's profile", async () => {
      const res = await api.patch<Problem>(
        `/v1/doctors/${theirs.doctor.id}`,
        { feeCents: 1 },
        mine.account.token,
      );
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect((await api.get<Doctor>(`/v1/doctors/${theirs.doctor.id}`)).body.feeCents).toBe(6000);
    });

    it('cannot move itself to another clinic', async () => {
      const res = await api.patch<Problem>(
        `/v1/doctors/${mine.doctor.id}`,
        { clinicId: clinicB.id },
        mine.account.token,
      );
      expect(res.status).toBe(403);
      expect((await api.get<Doctor>(`/v1/doctors/${mine.doctor.id}`)).body.clinic.id).toBe(clinicA.id);
    });

    it('an admin can move it', async () => {
      const res = await api.patch<Doctor>(`/v1/doctors/${mine.doctor.id}`, { clinicId: clinicB.id }, admin);
      expect(res.status).toBe(200);
      expect(res.body.clinic.id).toBe(clinicB.id);
    });

    it('a doctor account without a profile cannot edit anyone', async () => {
      const bare = await createAccount(hub, 'doctor');
      const res = await api.patch<Problem>(
        `/v1/doctors/${theirs.doctor.id}`,
        { bio: 'hijacked' },
        bare.token,
      );
      expect(res.status).toBe(403);
    });

    it('cannot create clinics or accounts', async () => {
      const clinic = await api.post('/v1/clinics', clinicBody(), mine.account.token);
      const user = await api.post('/v1/users', userBody('admin'), mine.account.token);
      expect([clinic.status, user.status]).toEqual([403, 403]);
    });
  });
});
