import { iceCheckDigits } from '../../src/modules/reference/ice.js';

/** A valid ICE built from a serial number (13 digits + the two mod-97 check digits). */
export function iceFor(serial: number): string {
  const prefix = String(serial).padStart(13, '0');
  return `${prefix}${iceCheckDigits(prefix)}`;
}

/** A valid member body for an admin key (partnerCode given). */
export function memberBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partnerCode: 'ASMEX',
    type: 'cooperative',
    name: 'Coopérative Safran Taliouine',
    legalForm: 'coopérative',
    region: 'MA-09',
    province: 'MA-TAR',
    city: 'Taliouine',
    remoteArea: true,
    womenLed: true,
    membersCount: { women: 42, men: 3 },
    products: [{ hsCode: '0910.20', name: 'Safran AOP Taliouine', organic: true }],
    certifications: [{ scheme: 'EU organic', body: 'Ecocert', validUntil: '2027-06-30' }],
    exportMarkets: ['CH', 'FR'],
    targetMarkets: ['DE'],
    digital: { website: 'https://safran.example.ma', ecommerce: false },
    contacts: [
      { name: 'Fatima Zahra', role: 'présidente', email: 'fz@example.ma', phone: '+212612345678' },
    ],
    ...overrides,
  };
}

export const ifMatch = (version: number | string) => ({ 'if-match': `"${version}"` });
export const mergePatch = (version: number | string) => ({
  ...ifMatch(version),
  'content-type': 'application/merge-patch+json',
});

/**
 * Load shedding off: on a busy machine (embedded PostgreSQL shares Node's thread) it sheds these
 * functional tests; it has tests of its own.
 */
