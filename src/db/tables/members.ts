import type { ColumnType, Generated, JSONColumnType } from 'kysely';

import type { MemberType } from '../../modules/members/member-type.js';

export type { MemberType };
export type MemberStatus = 'active' | 'suspended' | 'withdrawn';

export interface ProductDoc {
  hsCode: string;
  name?: string;
  organic?: boolean;
}

export interface CertificationDoc {
  scheme: string;
  body?: string;
  number?: string;
  validUntil?: string;
}

export interface DigitalDoc {
  website?: string;
  ecommerce?: boolean;
  socialMedia?: string[];
}

export interface ContactDoc {
  name: string;
  role?: string;
  email?: string;
  phone?: string;
}

/** jsonb read as parsed JSON, written as JSON text. */
type Json<T extends object> = JSONColumnType<T, string, string>;

export interface MembersTable {
  id: string;
  partnerCode: string;
  externalRef: string | null;
  type: MemberType;
  name: string;
  /** The name folded for search: lower case, no diacritics. */
  nameSearch: string;
  legalForm: string | null;
  ice: string | null;
  taxId: string | null;
  rcTribunal: string | null;
  rcNumber: string | null;
  region: string;
  province: string | null;
  city: string | null;
  remoteArea: boolean;
  womenLed: boolean;
  membersWomen: number | null;
  membersMen: number | null;
  employeesWomen: number | null;
  employeesMen: number | null;
  products: Json<ProductDoc[]>;
  /** The products' HS codes again, GIN-indexed for the hsCode filter. */
  hsCodes: string[];
  certifications: Json<CertificationDoc[]>;
  exportMarkets: string[];
  targetMarkets: string[];
  digital: JSONColumnType<DigitalDoc | null, string | null, string | null>;
  contacts: Json<ContactDoc[]>;
  joinedOn: string;
  status: ColumnType<MemberStatus, MemberStatus | undefined, MemberStatus>;
  withdrawnOn: string | null;
  personalDataErasedAt: string | null;
  /** Maintained by the assessments module: the current readiness, or null. */
  readinessCategory: ColumnType<string | null, never, string | null>;
  readinessAssessmentId: ColumnType<string | null, never, string | null>;
  readinessAssessedOn: ColumnType<string | null, never, string | null>;
  /** Who wrote the member's current data (migration 0015; null when unknown). */
  changedByKind: string | null;
  changedBy: string | null;
  changedByRole: string | null;
  version: Generated<number>;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
