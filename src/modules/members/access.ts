import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Principal } from '../../http/plugins/auth.js';

/** The outcome of naming a partner for a new member. */
export type PartnerChoice =
  | { code: string }
  | { code?: undefined; message: string; forbidden: boolean };

/**
 * The partner a new member belongs to: admin keys must name a known one; a partner key's own
 * partner is implied and naming another is forbidden.
 */
export function choosePartner(
  principal: Principal,
  given: unknown,
  known: ReadonlySet<string>,
): PartnerChoice {
  if (principal.role === 'partner') {
    const own = principal.partnerCode as string;
    if (given === undefined || given === null || given === own) return { code: own };
    return { message: `must be your own partner (${own})`, forbidden: true };
  }
  if (given === undefined || given === null)
    return { message: 'is required for an admin key', forbidden: false };
  if (typeof given !== 'string' || !known.has(given))
    return { message: `names no partner (${String(given)})`, forbidden: false };
  return { code: given };
}

export async function partnerCodes(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('partners').select('code').execute();
  return new Set(rows.map((r) => r.code));
}
