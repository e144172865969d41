import data from './morocco-subdivisions.json' with { type: 'json' };

/**
 * ISO 3166-2:MA regions (MA-01…MA-12, the 2015 regions) and their provinces and prefectures,
 * from Debian iso-codes, with MA-CHT moved to Souss-Massa (ISO lists it under region 06).
 */
export interface Region {
  code: string;
  name: string;
}

export interface Province {
  code: string;
  name: string;
  type: string;
  region: string;
}

export const REGIONS: readonly Region[] = data.regions;
export const PROVINCES: readonly Province[] = data.provinces;

const regionCodes = new Set(REGIONS.map((r) => r.code));
const provinceRegion = new Map(PROVINCES.map((p) => [p.code, p.region]));

export function isRegion(code: string): boolean {
  return regionCodes.has(code);
}

/** The region a province or prefecture lies in; undefined for an unknown code. */
export function regionOfProvince(code: string): string | undefined {
  return provinceRegion.get(code);
}
