/** Attempts of one delivery in all: the first and 10 retries. */
export const MAX_ATTEMPTS = 11;

/** Back-off grows fourfold per attempt, up to this many base periods (24 h at 5 s). */
const GROWTH = 4;
const CAP_BASES = 17_280;

/**
 * The wait before attempt `next` (2…MAX_ATTEMPTS): base × 4^(next−2), capped at base × 17280,
 * stretched by a random 0–25 % so that receivers coming back are not hit by every sender at
 * once. With the 5 s base: 5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 5.7 h, 22.8 h, 24 h, 24 h —
 * a little over 78 h (3¼ days) before the last attempt, jitter only adding to it.
 */
export function retryDelayMs(next: number, baseMs: number, random: () => number = Math.random) {
  const bases = Math.min(GROWTH ** (next - 2), CAP_BASES);
  return Math.round(baseMs * bases * (1 + 0.25 * random()));
}
