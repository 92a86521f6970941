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

/** A lat/lon box that contains every point within radiusKm of the centre: a cheap index prefilter. */
export function boundingBox(centre: { lat: number; lon: number }, radiusKm: number) {
  const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const cosLat = Math.cos((centre.lat * Math.PI) / 180);
  const dLon = cosLat < 1e-6 ? 180 : Math.min(180, dLat / cosLat);
  return {
    minLat: Math.max(-90, centre.lat - dLat),
    maxLat: Math.min(90, centre.lat + dLat),
    // Boxes that cross the antimeridian are widened to every longitude: correct, merely less selective.
    minLon: centre.lon - dLon < -180 || centre.lon + dLon > 180 ? -180 : centre.lon - dLon,
    maxLon: centre.lon - dLon < -180 || centre.lon + dLon > 180 ? 180 : centre.lon + dLon,
  };
}
