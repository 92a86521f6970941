/** Mean Earth radius (IUGG), km. The SQL in doctors.store.ts uses the same formula and radius. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance by the haversine formula; accurate to ~0.5% (Earth is not a sphere). */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A lat/lon box that contains every point within radiusKm of the centre: a cheap index prefilter.
 * A circle reaches farthest east and west off the centre's parallel, so the longitude half-width is
 * asin(sin δ / cos φ), wider than δ / cos φ (Matuschek, "Finding Points Within a Distance").
 */
export function boundingBox(centre: { lat: number; lon: number }, radiusKm: number) {
  const rad = Math.PI / 180;
  const angular = radiusKm / EARTH_RADIUS_KM;
  const minLat = centre.lat - angular / rad;
  const maxLat = centre.lat + angular / rad;
  // A circle that covers a pole spans every longitude.
  if (minLat <= -90 || maxLat >= 90) {
    return { minLat: Math.max(-90, minLat), maxLat: Math.min(90, maxLat), minLon: -180, maxLon: 180 };
  }
  const dLon = Math.asin(Math.sin(angular) / Math.cos(centre.lat * rad)) / rad;
  // Boxes that cross the antimeridian are widened to every longitude: correct, merely less selective.
  const crosses = centre.lon - dLon < -180 || centre.lon + dLon > 180;
  return {
    minLat,
    maxLat,
    minLon: crosses ? -180 : centre.lon - dLon,
    maxLon: crosses ? 180 : centre.lon + dLon,
  };
}
