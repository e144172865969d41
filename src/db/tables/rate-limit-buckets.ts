/** One caller's request count in its current fixed window (src/db/stores/rate-limit.ts). */
export interface RateLimitBucketsTable {
  /** `key:<api key id>` or `ip:<client address>`. */
  key: string;
  /** Start of the window, milliseconds since the epoch on the database's clock. */
  windowStartMs: number;
  hits: number;
}
