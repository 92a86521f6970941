import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { haversineKm } from '../../src/directory/geo.js';
import {
  createAccount,
  createClinic,
  createDoctor,
  type TestAccount,
  useTestApi,
} from '../helpers/harness.js';
import { errorPaths, type Problem } from '../helpers/problems.js';

type Doctor = {
  id: string;
  name: string;
  specialties: { slug: string; name: string }[];
  feeCents: number;
  currency: string;
  languages: string[];
  bio: string | null;
  clinic: { id: string; name: string; city: string; timezone: string };
  distanceKm?: number;
};
type Page = { items: Doctor[]; nextCursor: string | null };
type Clinic = { id: string; name: string; lat: number; lon: number };

const PLACES = {
  berlin: { city: 'Berlin', lat: 52.5219, lon: 13.4132 },
  potsdam: { city: 'Potsdam', lat: 52.3906, lon: 13.0645 },
  hamburg: { city: 'Hamburg', lat: 53.5511, lon: 9.9937 },
  munich: { city: 'Munich', lat: 48.1351, lon: 11.582 },
} as const;
type Place = keyof typeof PLACES;
const ME = { lat: 52.52, lon: 13.405 };

const names = (page: Page) => page.items.map((d) => d.name).sort();

describe('a patient looks for a doctor in the directory', () => {
  const { hub, api } = useTestApi();
  let admin: TestAccount;
  const clinics = {} as Record<Place, Clinic>;
  const doctors: Record<string, Doctor> = {};
  const search = (query: string) => api.get<Page>(`/v1/doctors?${query}`);

  beforeAll(async () => {
    admin = await createAccount(hub, 'admin');
    for (const [place, where] of Object.entries(PLACES)) {
      clinics[place as Place] = await createClinic(hub, { name: `${where.city} Health Centre`, ...where });
    }
    const roster: [Place, string, { specialties: string[]; feeCents: number; languages: string[] }][] = [
      ['berlin', 'Dr. Anna Berger', { specialties: ['cardiology'], feeCents: 8000, languages: ['de', 'en'] }],
      ['berlin', 'Dr. Ben Okafor', { specialties: ['general-practice'], feeCents: 4500, languages: ['en'] }],
      [
        'potsdam',
        'Dr. Clara Nowak',
        { specialties: ['dermatology'], feeCents: 6000, languages: ['de', 'pl'] },
      ],
      [
        'hamburg',
        'Dr. Daniel Sørensen',
        { specialties: ['pediatrics'], feeCents: 5000, languages: ['de', 'da'] },
      ],
      [
        'munich',
        'Dr. Eva Moreno',
        { specialties: ['cardiology', 'internal-medicine'], feeCents: 12000, languages: ['es', 'en'] },
      ],
    ];
    for (const [place, name, profile] of roster) {
      const { doctor } = await createDoctor(hub, clinics[place].id, { name, ...profile });
      doctors[name] = doctor as Doctor;
    }
  });

  describe('filters', () => {
    it('without filters lists every doctor, by name', async () => {
      const res = await search('');
      expect(res.status).toBe(200);
      expect(res.body.items.map((d) => d.name)).toEqual(Object.keys(doctors).sort());
      expect(res.body.nextCursor).toBeNull();
    });

    it('by specialty', async () => {
      expect(names((await search('specialty=cardiology')).body)).toEqual([
        'Dr. Anna Berger',
        'Dr. Eva Moreno',
      ]);
      expect(names((await search('specialty=urology')).body)).toEqual([]);
    });

    it('by clinic', async () => {
      const res = await search(`clinicId=${clinics.berlin.id}`);
      expect(names(res.body)).toEqual(['Dr. Anna Berger', 'Dr. Ben Okafor']);
    });

    it('by language', async () => {
      expect(names((await search('language=pl')).body)).toEqual(['Dr. Clara Nowak']);
      expect(names((await search('language=en')).body)).toEqual([
        'Dr. Anna Berger',
        'Dr. Ben Okafor',
        'Dr. Eva Moreno',
      ]);
    });

    it('by maximum fee, inclusive', async () => {
      const res = await search('maxFee=6000');
      expect(names(res.body)).toEqual(['Dr. Ben Okafor', 'Dr. Clara Nowak', 'Dr. Daniel Sørensen']);
      expect(res.body.items.every((d) => d.feeCents <= 6000)).toBe(true);
      expect(names((await search('maxFee=0')).body)).toEqual([]);
    });

    it('by free text over the name, case-insensitively', async () => {
      expect(names((await search('q=okafor')).body)).toEqual(['Dr. Ben Okafor']);
      expect(names((await search(`q=${encodeURIComponent('sørensen')}`)).body)).toEqual([
        'Dr. Daniel Sørensen',
      ]);
    });

    it('by free text over the specialty name', async () => {
      expect(names((await search('q=Dermatology')).body)).toEqual(['Dr. Clara Nowak']);
      expect(names((await search('q=internal')).body)).toEqual(['Dr. Eva Moreno']);
    });

    it('treats % and _ in the text literally, not as wildcards', async () => {
      expect(names((await search('q=%25')).body)).toEqual([]);
      expect(names((await search('q=_')).body)).toEqual([]);
    });

    it('combines filters with AND', async () => {
      expect(names((await search('specialty=cardiology&maxFee=10000')).body)).toEqual(['Dr. Anna Berger']);
      expect(names((await search(`specialty=cardiology&clinicId=${clinics.potsdam.id}`)).body)).toEqual([]);
    });
  });

  describe('near me', () => {
    it('orders by distance and gives each doctor its haversine distance', async () => {
      const res = await search(`near=${ME.lat},${ME.lon}`);
      expect(res.status).toBe(200);
      const items = res.body.items;
      expect(items.map((d) => d.clinic.city)).toEqual(['Berlin', 'Berlin', 'Potsdam', 'Hamburg', 'Munich']);
      const distances = items.map((d) => d.distanceKm!);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      for (const d of items) {
        const place = PLACES[Object.entries(clinics).find(([, c]) => c.id === d.clinic.id)![0] as Place];
        const expected = haversineKm(ME, place);
        // Within 0.5%, or 10 m for the clinic round the corner (distances are rounded to 10 m).
        expect(Math.abs(d.distanceKm! - expected)).toBeLessThanOrEqual(Math.max(expected * 0.005, 0.01));
      }
    });

    it('puts Hamburg about 255 km from central Berlin', async () => {
      const res = await search(`near=${ME.lat},${ME.lon}&clinicId=${clinics.hamburg.id}`);
      const [hamburg] = res.body.items;
      expect(hamburg!.distanceKm).toBeGreaterThan(252);
      expect(hamburg!.distanceKm).toBeLessThan(258);
    });

    it('radiusKm leaves out doctors farther away', async () => {
      const within = async (km: number) =>
        (await search(`near=${ME.lat},${ME.lon}&radiusKm=${km}`)).body.items.map((d) => d.clinic.city);
      expect(await within(5)).toEqual(['Berlin', 'Berlin']);
      expect(await within(50)).toEqual(['Berlin', 'Berlin', 'Potsdam']);
      expect(await within(300)).toEqual(['Berlin', 'Berlin', 'Potsdam', 'Hamburg']);
      expect(await within(1000)).toHaveLength(5);
    });

    it('without near there is no distance', async () => {
      const res = await search('');
      expect(res.body.items.every((d) => d.distanceKm === undefined)).toBe(true);
    });
  });

  describe('pagination', () => {
    async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Awaited<ReturnType<typeof search>> = await search(
          `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        ids.push(...res.body.items.map((d) => d.id));
        cursor = res.body.nextCursor;
        pages++;
        expect(pages).toBeLessThan(20);
      } while (cursor);
      return { ids, pages };
    }

    it('limit and cursor cover every doctor exactly once, in the unpaged order', async () => {
      for (const query of ['', `near=${ME.lat},${ME.lon}`]) {
        const all = (await search(query)).body.items.map((d) => d.id);
        for (const limit of [1, 2, 3, 5]) {
          const { ids, pages } = await walk(query, limit);
          expect(ids).toEqual(all);
          expect(new Set(ids).size).toBe(5);
          expect(pages).toBe(Math.ceil(5 / limit));
        }
      }
    });

    it('refuses a cursor it did not issue and limits outside 1..100', async () => {
      for (const query of [
        'cursor=not-a-cursor',
        'cursor=eyJvIjotMX0',
        'limit=0',
        'limit=101',
        'limit=-1',
        'limit=2.5',
      ]) {
        const res = await api.get<Problem>(`/v1/doctors?${query}`);
        expect(res.status, query).toBe(400);
        expect(
          errorPaths(res.body).some((p) => p.startsWith('query.')),
          query,
        ).toBe(true);
      }
    });
  });

  describe('profiles', () => {
    it('GET /v1/doctors/:id shows specialties, fee, clinic, languages and bio', async () => {
      const eva = doctors['Dr. Eva Moreno']!;
      const res = await api.get<Doctor>(`/v1/doctors/${eva.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: eva.id,
        name: 'Dr. Eva Moreno',
        feeCents: 12000,
        currency: 'EUR',
        languages: ['es', 'en'],
        bio: null,
        clinic: {
          id: clinics.munich.id,
          name: 'Munich Health Centre',
          city: 'Munich',
          timezone: 'Europe/Berlin',
        },
      });
      expect(res.body.specialties.map((s) => s.slug).sort()).toEqual(['cardiology', 'internal-medicine']);
      expect(res.body.specialties.find((s) => s.slug === 'cardiology')?.name).toBe('Cardiology');
    });

    it('an unknown doctor is 404', async () => {
      const res = await api.get<Problem>(`/v1/doctors/${randomUUID()}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    });

    it('GET /v1/clinics/:id lists the clinic with its doctors', async () => {
      const res = await api.get<Clinic & { doctors: Doctor[] }>(`/v1/clinics/${clinics.berlin.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: clinics.berlin.id, lat: 52.5219, lon: 13.4132 });
      expect(res.body.doctors.map((d) => d.name).sort()).toEqual(['Dr. Anna Berger', 'Dr. Ben Okafor']);
      expect((await api.get(`/v1/clinics/${randomUUID()}`)).status).toBe(404);
    });

    it('GET /v1/specialties lists about twenty, each with slug and name', async () => {
      const res = await api.get<{ items: { slug: string; name: string }[] }>('/v1/specialties');
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThanOrEqual(18);
      expect(res.body.items.length).toBeLessThanOrEqual(30);
      expect(res.body.items).toContainEqual({ slug: 'cardiology', name: 'Cardiology' });
      expect(new Set(res.body.items.map((s) => s.slug)).size).toBe(res.body.items.length);
    });

    it('an admin changing only the specialties is found under the new one', async () => {
      const ben = doctors['Dr. Ben Okafor']!;
      const res = await api.patch<Doctor>(
        `/v1/doctors/${ben.id}`,
        { specialties: ['psychiatry'] },
        admin.token,
      );
      expect(res.status).toBe(200);
      expect(names((await search('specialty=psychiatry')).body)).toEqual(['Dr. Ben Okafor']);
      expect(names((await search('specialty=general-practice')).body)).toEqual([]);
      await api.patch(`/v1/doctors/${ben.id}`, { specialties: ['general-practice'] }, admin.token);
    });
  });

  describe('bad input is named field by field', () => {
    const clinic = {
      name: 'Olympus Mons Clinic',
      address: 'Summit',
      city: 'Tharsis',
      timezone: 'Europe/Berlin',
      lat: 1,
      lon: 1,
    };

    it('POST /v1/clinics with an unknown time zone and coordinates off the globe', async () => {
      const res = await api.post<Problem>(
        '/v1/clinics',
        { ...clinic, timezone: 'Mars/Olympus', lat: 91, lon: -181 },
        admin.token,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res.body).sort()).toEqual(['body.lat', 'body.lon', 'body.timezone']);
    });

    it('POST /v1/clinics accepts the edges of the globe', async () => {
      const res = await api.post<Clinic>('/v1/clinics', { ...clinic, lat: -90, lon: 180 }, admin.token);
      expect(res.status).toBe(201);
    });

    describe('POST /v1/doctors', () => {
      let userId: string;
      const body = () => ({
        userId,
        clinicId: clinics.berlin.id,
        specialties: ['cardiology'],
        feeCents: 5000,
        currency: 'EUR',
      });
      beforeAll(async () => {
        userId = (await createAccount(hub, 'doctor')).id;
      });

      it('a negative fee names body.feeCents', async () => {
        const res = await api.post<Problem>('/v1/doctors', { ...body(), feeCents: -1 }, admin.token);
        expect(res.status).toBe(400);
        expect(errorPaths(res.body)).toEqual(['body.feeCents']);
        const fraction = await api.post<Problem>('/v1/doctors', { ...body(), feeCents: 10.5 }, admin.token);
        expect(errorPaths(fraction.body)).toEqual(['body.feeCents']);
      });

      it('a currency that is not ISO 4217 names body.currency', async () => {
        for (const currency of ['EURO', 'eur', 'ZZZ', '']) {
          const res = await api.post<Problem>('/v1/doctors', { ...body(), currency }, admin.token);
          expect(res.status, currency).toBe(400);
          expect(errorPaths(res.body), currency).toEqual(['body.currency']);
        }
      });

      it('an unknown specialty names body.specialties', async () => {
        const res = await api.post<Problem>(
          '/v1/doctors',
          { ...body(), specialties: ['astrology'] },
          admin.token,
        );
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(errorPaths(res.body)).toEqual(['body.specialties']);
        const none = await api.post<Problem>('/v1/doctors', { ...body(), specialties: [] }, admin.token);
        expect(errorPaths(none.body)).toEqual(['body.specialties']);
      });

      it('an unknown clinic names body.clinicId', async () => {
        const res = await api.post<Problem>(
          '/v1/doctors',
          { ...body(), clinicId: randomUUID() },
          admin.token,
        );
        expect(res.status).toBe(400);
        expect(errorPaths(res.body)).toEqual(['body.clinicId']);
      });

      it('none of the refused attempts left a profile behind, and a valid one goes through once', async () => {
        const ok = await api.post<Doctor>('/v1/doctors', body(), admin.token);
        expect(ok.status).toBe(201);
        const again = await api.post<Problem>('/v1/doctors', body(), admin.token);
        expect(again.status).toBe(409);
        expect(again.body.code).toBe('doctor_exists');
      });
    });

    it('near=abc names query.near', async () => {
      for (const near of ['abc', '52.52', '91,0', '0,181', '52.52,13.4,1']) {
        const res = await api.get<Problem>(`/v1/doctors?near=${near}`);
        expect(res.status, near).toBe(400);
        expect(errorPaths(res.body), near).toEqual(['query.near']);
      }
    });

    it('radiusKm without near, or out of range, is refused', async () => {
      const alone = await api.get<Problem>('/v1/doctors?radiusKm=10');
      expect(alone.status).toBe(400);
      expect(errorPaths(alone.body)).toEqual(['query.radiusKm']);
      for (const radius of ['0', '-5', 'far', '20001']) {
        const res = await api.get<Problem>(`/v1/doctors?near=${ME.lat},${ME.lon}&radiusKm=${radius}`);
        expect(res.status, radius).toBe(400);
        expect(errorPaths(res.body), radius).toEqual(['query.radiusKm']);
      }
    });

    it('other malformed filters name their parameter', async () => {
      for (const [query, path] of [
        ['maxFee=-1', 'query.maxFee'],
        ['maxFee=cheap', 'query.maxFee'],
        ['clinicId=berlin', 'query.clinicId'],
        ['language=German', 'query.language'],
        ['specialty=Heart%20Stuff', 'query.specialty'],
        ['colour=blue', 'query.colour'],
      ] as const) {
        const res = await api.get<Problem>(`/v1/doctors?${query}`);
        expect(res.status, query).toBe(400);
        expect(errorPaths(res.body), query).toEqual([path]);
      }
    });
  });
});
