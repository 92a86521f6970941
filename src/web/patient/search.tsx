import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { dayTime } from '../shared/clinic-time.js';
import { fetchAll, type ListPage } from '../shared/fetch-all.js';
import { handleSubmit, Input, Problem, Select } from '../shared/form.js';
import type { Specialty } from '../shared/types.js';
import { money } from '../shared/ui.js';
import { NearMe, type Place } from './near-me.js';
import type { Clinic, Doctor } from './types.js';

/** Languages offered in the filter, with any a listed doctor speaks added (the API has no list of them). */
const COMMON_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'ar', 'zh', 'hi', 'ru', 'uk'];
const languageName = (code: string) => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

interface Filters {
  specialty: string;
  city: string;
  clinicId: string;
  language: string;
  maxFee: string;
  q: string;
  radiusKm: string;
}
const NO_FILTERS: Filters = {
  specialty: '',
  city: '',
  clinicId: '',
  language: '',
  maxFee: '',
  q: '',
  radiusKm: '',
};

function query(f: Filters, clinics: Clinic[], near: Place | undefined, cursor?: string): string {
  const p = new URLSearchParams({ limit: '20' });
  if (f.specialty) p.set('specialty', f.specialty);
  // The directory filters by clinic, not city: a city with one clinic is that clinic; with several,
  // the answer is narrowed to the city here.
  const inCity = clinics.filter((c) => c.city === f.city);
  const clinicId = f.clinicId || (inCity.length === 1 ? inCity[0]!.id : '');
  if (clinicId) p.set('clinicId', clinicId);
  if (f.language) p.set('language', f.language);
  const fee = Number(f.maxFee);
  if (f.maxFee.trim() && Number.isFinite(fee) && fee >= 0) p.set('maxFee', String(Math.round(fee * 100)));
  if (f.q.trim()) p.set('q', f.q.trim());
  if (near) {
    p.set('near', `${near.lat.toFixed(5)},${near.lon.toFixed(5)}`);
    if (f.radiusKm) p.set('radiusKm', f.radiusKm);
  }
  if (cursor) p.set('cursor', cursor);
  return `/v1/doctors?${p}`;
}

/** Find a doctor: filters on the left (stacked on a phone), the matching doctors below. */
export function DoctorSearch({ onOpen }: { onOpen: (d: Doctor) => void }) {
  const [specialties, setSpecialties] = useState<Specialty[]>([]);
  const [clinics, setClinics] = useState<Clinic[]>([]);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [near, setNear] = useState<Place>();
  const [results, setResults] = useState<ListPage<Doctor>>();
  const [languages, setLanguages] = useState(COMMON_LANGUAGES);
  const [error, setError] = useState<unknown>();
  const seq = useRef(0);

  useEffect(() => {
    api<{ items: Specialty[] }>('GET', '/v1/specialties').then((r) => setSpecialties(r.items), setError);
    fetchAll<Clinic>('/v1/clinics').then(setClinics, setError);
  }, []);

  const search = async (cursor?: string) => {
    const mine = ++seq.current;
    try {
      const page = await api<ListPage<Doctor>>('GET', query(filters, clinics, near, cursor));
      if (mine !== seq.current) return;
      const items = filters.city ? page.items.filter((d) => d.clinic.city === filters.city) : page.items;
      setResults((old) => ({
        items: cursor && old ? [...old.items, ...items] : items,
        nextCursor: page.nextCursor,
      }));
      setLanguages((old) => [...new Set([...old, ...page.items.flatMap((d) => d.languages)])]);
      setError(undefined);
    } catch (err) {
      if (mine === seq.current) setError(err);
    }
  };
  // Searches as the filters change (typing settles for a moment first).
  useEffect(() => {
    const t = setTimeout(() => void search(), 250);
    return () => clearTimeout(t);
  }, [filters, near, clinics]);

  const set = (key: keyof Filters) => (value: string) =>
    setFilters((f) => ({ ...f, [key]: value, ...(key === 'city' ? { clinicId: '' } : {}) }));
  const cities = [...new Set(clinics.map((c) => c.city))].sort();
  const shownClinics = clinics.filter((c) => !filters.city || c.city === filters.city);

  return (
    <section class="card" aria-labelledby="search-title">
      <h2 id="search-title">Find a doctor</h2>
      <search>
        <form class="filters" onSubmit={handleSubmit(search)}>
          <Select label="Specialty" value={filters.specialty} onChange={set('specialty')}>
            <option value="">Any specialty</option>
            {specialties.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </Select>
          <Select label="City" value={filters.city} onChange={set('city')}>
            <option value="">Any city</option>
            {cities.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
          <Select label="Clinic" value={filters.clinicId} onChange={set('clinicId')}>
            <option value="">{filters.city ? `Any clinic in ${filters.city}` : 'Any clinic'}</option>
            {shownClinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.city})
              </option>
            ))}
          </Select>
          <Select label="Language" value={filters.language} onChange={set('language')}>
            <option value="">Any language</option>
            {languages.map((l) => (
              <option key={l} value={l}>
                {languageName(l)}
              </option>
            ))}
          </Select>
          <Input label="Max fee" type="number" min="0" value={filters.maxFee} onInput={set('maxFee')} />
          <Input label="Doctor's name" type="search" value={filters.q} onInput={set('q')} />
          <div class="filter-actions">
            <NearMe place={near} onPlace={setNear} radiusKm={filters.radiusKm} onRadius={set('radiusKm')} />
            <button type="submit">Search</button>
            <button
              type="button"
              class="link"
              onClick={() => {
                setFilters(NO_FILTERS);
                setNear(undefined);
              }}
            >
              Clear filters
            </button>
          </div>
        </form>
      </search>
      <Problem error={error} />
      <DoctorList
        results={results}
        near={near !== undefined}
        onOpen={onOpen}
        onMore={(c) => void search(c)}
      />
    </section>
  );
}

function DoctorList(props: {
  results: ListPage<Doctor> | undefined;
  near: boolean;
  onOpen: (d: Doctor) => void;
  onMore: (cursor: string) => void;
}) {
  const { results } = props;
  if (!results) return <p class="muted">Looking for doctors…</p>;
  return (
    <>
      <p class="muted" role="status">
        {results.items.length === 0
          ? 'No doctor matches these filters.'
          : `${results.items.length}${results.nextCursor ? '+' : ''} doctor${results.items.length === 1 ? '' : 's'}${props.near ? ', nearest first' : ''}`}
      </p>
      <ul class="plain doctors">
        {results.items.map((d) => (
          <li key={d.id} class="doctor">
            <div>
              <h3>{d.name}</h3>
              <p>{d.specialties.map((s) => s.name).join(', ')}</p>
              <p class="muted">
                {d.clinic.name}, {d.clinic.city}
                {d.distanceKm !== undefined && ` · ${d.distanceKm.toFixed(1)} km away`}
              </p>
              <p>
                <strong>{money(d.feeCents, d.currency)}</strong>
                {d.languages.length > 0 && ` · speaks ${d.languages.map(languageName).join(', ')}`}
              </p>
              <p>
                {d.nextAvailable
                  ? `Next free: ${dayTime(d.nextAvailable)}`
                  : d.nextAvailable === null
                    ? 'No free time in the next 2 months'
                    : ''}
              </p>
            </div>
            <button type="button" onClick={() => props.onOpen(d)} aria-label={`See times for ${d.name}`}>
              See times
            </button>
          </li>
        ))}
      </ul>
      {results.nextCursor && (
        <button type="button" class="secondary" onClick={() => props.onMore(results.nextCursor!)}>
          More doctors
        </button>
      )}
    </>
  );
}
