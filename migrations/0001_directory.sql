-- Clinics and the specialties doctors practise. Coordinates are WGS84 degrees; distances are computed
-- in SQL (haversine) so neither PostGIS nor earthdistance is required.
create table specialties (
  slug text primary key check (slug ~ '^[a-z0-9-]+$'),
  name text not null unique
);

insert into specialties (slug, name) values
  ('general-practice', 'General practice'),
  ('internal-medicine', 'Internal medicine'),
  ('pediatrics', 'Pediatrics'),
  ('cardiology', 'Cardiology'),
  ('dermatology', 'Dermatology'),
  ('endocrinology', 'Endocrinology'),
  ('gastroenterology', 'Gastroenterology'),
  ('neurology', 'Neurology'),
  ('obstetrics-gynecology', 'Obstetrics and gynecology'),
  ('ophthalmology', 'Ophthalmology'),
  ('orthopedics', 'Orthopedics'),
  ('otolaryngology', 'Ear, nose and throat'),
  ('psychiatry', 'Psychiatry'),
  ('psychology', 'Psychology'),
  ('pulmonology', 'Pulmonology'),
  ('rheumatology', 'Rheumatology'),
  ('urology', 'Urology'),
  ('nephrology', 'Nephrology'),
  ('oncology', 'Oncology'),
  ('allergy-immunology', 'Allergy and immunology'),
  ('physiotherapy', 'Physiotherapy'),
  ('dentistry', 'Dentistry');

create table clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  address text not null,
  city text not null,
  timezone text not null,
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180),
  phone text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index clinics_lat_lon on clinics (lat, lon);
