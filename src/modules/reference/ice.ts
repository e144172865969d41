/**
 * ICE (Identifiant Commun de l'Entreprise): 15 digits whose whole number is 0 mod 97
 * (ISO 7064 mod 97-10, as python-stdnum's stdnum.ma.ice).
 */
export function isValidIce(value: string): boolean {
  if (!/^\d{15}$/.test(value)) return false;
  return BigInt(value) % 97n === 0n;
}

/** The two check digits that complete a 13-digit ICE prefix (for tests and fixtures). */
export function iceCheckDigits(prefix13: string): string {
  const remainder = (BigInt(prefix13) * 100n) % 97n;
  return String((97n - remainder) % 97n).padStart(2, '0');
}
