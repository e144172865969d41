/** A copy of a value without its `ar` keys, at any depth: the texts migration 0018 added. */
export function withoutArabic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutArabic);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'ar')
      .map(([key, v]) => [key, withoutArabic(v)]),
  );
}
