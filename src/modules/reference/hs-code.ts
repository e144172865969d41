/** Harmonized System subheadings: 6 digits, written `091020` or `0910.20`; stored as 6 digits. */
const HS_CODE = /^(\d{4})\.?(\d{2})$/;

/** The 6-digit form of an HS code, or undefined when it is not one. */
export function normalizeHsCode(value: string): string | undefined {
  const match = HS_CODE.exec(value);
  return match ? `${match[1]}${match[2]}` : undefined;
}
