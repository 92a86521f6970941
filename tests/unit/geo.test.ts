import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundingBox, EARTH_RADIUS_KM, haversineKm } from '../../src/directory/geo.js';

type Point = { lat: number; lon: number };

const BERLIN = { lat: 52.52, lon: 13.405 };
const HAMBURG = { lat: 53.5511, lon: 9.9937 };
const MUNICH = { lat: 48.1351, lon: 11.582 };
const LONDON = { lat: 51.5074, lon: -0.1278 };
const PARIS = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

/** The point `distanceKm` from `start` on initial bearing `bearingDeg` (spherical destination formula). */
function destination(start: Point, bearingDeg: number, distanceKm: number): Point {
  const rad = Math.PI / 180;
  const δ = distanceKm / EARTH_RADIUS_KM;
  const θ = bearingDeg * rad;
  const φ1 = start.lat * rad;
  const λ1 = start.lon * rad;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
  const λ2 =
    λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
  const lon = ((((λ2 / rad + 540) % 360) + 360) % 360) - 180;
  return { lat: φ2 / rad, lon };
}

describe('haversineKm: great-circle distances between places', () => {
  it.each([
    ['Berlin → Hamburg', 255, BERLIN, HAMBURG, 3],
    ['Berlin → Munich', 504, BERLIN, MUNICH, 4],
    ['London → Paris', 344, LONDON, PARIS, 3],
    ['London → New York', 5570, LONDON, NEW_YORK, 20],
  ] as const)('%s is about %d km', (_name, km, a, b, tolerance) => {
    expect(Math.abs(haversineKm(a, b) - km)).toBeLessThanOrEqual(tolerance);
  });

  it('is zero from a place to itself and the same in both directions', () => {
    expect(haversineKm(BERLIN, BERLIN)).toBe(0);
    expect(haversineKm(BERLIN, MUNICH)).toBeCloseTo(haversineKm(MUNICH, BERLIN), 9);
  });

  it('one degree of longitude on the equator is about 111.2 km, and across the antimeridian too', () => {
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111.195, 2);
    expect(haversineKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(111.195, 2);
  });

  it('antipodes are half the circumference apart', () => {
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(haversineKm({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });

  it('agrees with the destination formula for random points (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -89, max: 89, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (lat, lon, bearing, km) => {
          const there = destination({ lat, lon }, bearing, km);
          expect(haversineKm({ lat, lon }, there)).toBeCloseTo(km, 3);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('boundingBox: the cheap prefilter before the exact distance', () => {
  /** Degrees of slack for floating-point rounding only. */
  const EPS = 1e-9;
  const inBox = (box: ReturnType<typeof boundingBox>, p: Point) =>
    p.lat >= box.minLat - EPS &&
    p.lat <= box.maxLat + EPS &&
    p.lon >= box.minLon - EPS &&
    p.lon <= box.maxLon + EPS;

  it('around Berlin with 30 km holds Potsdam but not Hamburg', () => {
    const box = boundingBox(BERLIN, 30);
    expect(inBox(box, { lat: 52.3906, lon: 13.0645 })).toBe(true);
    expect(inBox(box, HAMBURG)).toBe(false);
  });

  it('stays within the globe', () => {
    for (const box of [
      boundingBox({ lat: 89.9, lon: 0 }, 500),
      boundingBox({ lat: -89.9, lon: 179.9 }, 500),
    ]) {
      expect(box.minLat).toBeGreaterThanOrEqual(-90);
      expect(box.maxLat).toBeLessThanOrEqual(90);
      expect(box.minLon).toBeGreaterThanOrEqual(-180);
      expect(box.maxLon).toBeLessThanOrEqual(180);
    }
  });

  it('contains every point within the radius, wherever the centre is (property)', () => {
    fc.assert(
      fc.property(
        // High latitudes and points on the circle itself are where a naive box goes wrong: weigh them up.
        fc.oneof(
          fc.double({ min: -90, max: 90, noNaN: true }),
          fc.double({ min: 60, max: 90, noNaN: true }).map((l) => -l),
          fc.double({ min: 60, max: 90, noNaN: true }),
        ),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.oneof(
          fc.double({ min: 0.1, max: 100, noNaN: true }),
          fc.double({ min: 100, max: 5_000, noNaN: true }),
        ),
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.oneof(
          fc.constant(1),
          fc.double({ min: 0.9, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        (lat, lon, radiusKm, bearing, fraction) => {
          const centre = { lat, lon };
          const point = destination(centre, bearing, radiusKm * fraction);
          fc.pre(haversineKm(centre, point) <= radiusKm);
          const box = boundingBox(centre, radiusKm);
          expect(inBox(box, point), JSON.stringify({ centre, radiusKm, point, box })).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('contains the widest point of a circle at high latitude, which lies off the centre parallel', () => {
    // At 60° N a 1000 km circle reaches farthest east at about 61.9° N, 18.2° of longitude away.
    const centre = { lat: 60, lon: 0 };
    const widest = Array.from({ length: 3600 }, (_, i) => destination(centre, i / 10, 1000)).reduce((a, b) =>
      b.lon > a.lon ? b : a,
    );
    expect(inBox(boundingBox(centre, 1000), widest)).toBe(true);
  });

  it('spans every longitude when the circle covers a pole', () => {
    const nearPole = { lat: 85, lon: 0 };
    const acrossThePole = { lat: 89, lon: 150 };
    expect(haversineKm(nearPole, acrossThePole)).toBeLessThan(1000);
    expect(inBox(boundingBox(nearPole, 1000), acrossThePole)).toBe(true);
  });
});
