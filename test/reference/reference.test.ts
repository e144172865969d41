import fc from 'fast-check';
import t from 'tap';
import { isCountryCode } from '../../src/modules/reference/countries.js';
import { normalizeHsCode } from '../../src/modules/reference/hs-code.js';
import { iceCheckDigits, isValidIce } from '../../src/modules/reference/ice.js';
import { isE164Phone } from '../../src/modules/reference/phone.js';
import {
  isRegion,
  PROVINCES,
  REGIONS,
  regionOfProvince,
} from '../../src/modules/reference/subdivisions.js';
import { foldForSearch } from '../../src/modules/reference/text.js';

const SEED = 20240607;
const digits13 = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 })
  .map((d) => d.join(''));

t.test('ICE: mod 97-10', async (t) => {
  t.ok(isValidIce('002284350000097'), 'the published example');
  t.notOk(isValidIce('002284350000098'));
  t.notOk(isValidIce('00228435000009'), '14 digits');
  t.notOk(isValidIce('00228435000009a'));
  fc.assert(
    fc.property(digits13, (prefix) => isValidIce(prefix + iceCheckDigits(prefix))),
    { seed: SEED },
  );
  // Mod 97-10 detects every single-digit error and every adjacent transposition.
  fc.assert(
    fc.property(
      digits13,
      fc.integer({ min: 0, max: 14 }),
      fc.integer({ min: 1, max: 9 }),
      (prefix, at, delta) => {
        const ice = prefix + iceCheckDigits(prefix);
        const changed = String((Number(ice[at]) + delta) % 10);
        return !isValidIce(ice.slice(0, at) + changed + ice.slice(at + 1));
      },
    ),
    { seed: SEED },
  );
  fc.assert(
    fc.property(digits13, fc.integer({ min: 0, max: 13 }), (prefix, at) => {
      const ice = prefix + iceCheckDigits(prefix);
      fc.pre(ice[at] !== ice[at + 1]);
      return !isValidIce(ice.slice(0, at) + ice[at + 1] + ice[at] + ice.slice(at + 2));
    }),
    { seed: SEED },
  );
});

t.test('regions and provinces of ISO 3166-2:MA', async (t) => {
  t.same(
    REGIONS.map((r) => r.code),
    Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`),
  );
  t.equal(PROVINCES.length, 75);
  for (const p of PROVINCES) t.ok(isRegion(p.region), `${p.code} lies in a region`);
  t.equal(regionOfProvince('MA-CHT'), 'MA-09', 'Chtouka-Ait Baha: Souss-Massa, not 06');
  t.equal(regionOfProvince('MA-AGD'), 'MA-09');
  t.equal(regionOfProvince('MA-CAS'), 'MA-06');
  t.equal(regionOfProvince('MA-01'), undefined, 'a region is not a province');
  for (const region of REGIONS)
    t.ok(
      PROVINCES.some((p) => p.region === region.code),
      `${region.code} has provinces`,
    );
});

t.test('HS codes', async (t) => {
  t.equal(normalizeHsCode('0910.20'), '091020');
  t.equal(normalizeHsCode('091020'), '091020');
  for (const bad of ['0910.2', '09102', '0910-20', '09.1020', '0910200', 'abcdef', ''])
    t.equal(normalizeHsCode(bad), undefined, bad);
  fc.assert(
    fc.property(
      fc.stringMatching(/^\d{6}$/),
      (code) =>
        normalizeHsCode(code) === code &&
        normalizeHsCode(`${code.slice(0, 4)}.${code.slice(4)}`) === code,
    ),
    { seed: SEED },
  );
});

t.test('ISO 3166-1 alpha-2 from the maintained list', async (t) => {
  const eu27 =
    'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' ');
  for (const code of ['CH', 'MA', 'US', 'GB', ...eu27]) t.ok(isCountryCode(code), code);
  for (const code of ['EU', 'UK', 'ch', 'CHE', 'XX', '']) t.notOk(isCountryCode(code), code);
});

t.test('E.164 phone numbers', async (t) => {
  for (const ok of ['+212612345678', '+212522123456', '+41446681800', '+33142685300'])
    t.ok(isE164Phone(ok), ok);
  for (const bad of [
    '0612345678',
    '+212 612345678',
    '+212012345678',
    '+2126123',
    '212612345678',
    '+00000000',
  ])
    t.notOk(isE164Phone(bad), bad);
});

t.test('search folding', async (t) => {
  t.equal(foldForSearch('Kelâat M’Gouna ÉTOILE'), 'kelaat m’gouna etoile');
  t.equal(foldForSearch('Coopérative'), 'cooperative');
});
