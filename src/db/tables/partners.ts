import type { ColumnType, Generated } from 'kysely';

export interface PartnersTable {
  code: string;
  name: string;
  shortName: string;
  version: Generated<number>;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
