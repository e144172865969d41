import type { ColumnType } from 'kysely';

/** The response headers kept with a completed request, replayed with its body. */
export type StoredHeaders = Record<string, string>;

/** The first request made with an Idempotency-Key, per caller, method and path. */
export interface IdempotencyKeysTable {
  /** The caller's principal id (an API key's id or a person's). */
  callerId: string;
  method: string;
  path: string;
  key: string;
  /** SHA-256 of the canonical JSON of the request body. */
  fingerprint: string;
  state: 'running' | 'completed';
  responseStatus: number | null;
  responseHeaders: ColumnType<StoredHeaders | null, string | null, string | null>;
  responseBody: string | null;
  /** The resource the response is about: its Location, else the request path. */
  subject: string | null;
  /** Why a completed record keeps no body (docs/security.md). */
  responseWithheld: 'personal-data-erased' | 'too-large' | null;
  createdAt: ColumnType<string, never, never>;
  expiresAt: ColumnType<string, string, string>;
  /** A running entry not finished by then is taken as abandoned and may be taken over. */
  lockedUntil: ColumnType<string, string, string>;
}
