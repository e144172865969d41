import type { ColumnType } from 'kysely';

export type Role = 'admin' | 'partner' | 'reporting';

export interface ApiKeysTable {
  id: string;
  name: string;
  role: Role;
  partnerCode: string | null;
  /** SHA-256 of the key, hex: keys are 256-bit random, so a fast hash is enough. */
  keyHash: string;
  /** The first characters of the key, to recognise it in a list. */
  keyPrefix: string;
  createdBy: string | null;
  createdAt: ColumnType<string, never, never>;
  revokedAt: string | null;
}
