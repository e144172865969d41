import countries from 'i18n-iso-countries';

/** ISO 3166-1 alpha-2 codes as maintained by i18n-iso-countries. */
const alpha2 = new Set(Object.keys(countries.getAlpha2Codes()));

export function isCountryCode(value: string): boolean {
  return alpha2.has(value);
}
