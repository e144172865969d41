import type { Selectable } from 'kysely';
import type {
  CertificationDoc,
  ContactDoc,
  DigitalDoc,
  MemberStatus,
  MembersTable,
  MemberType,
  ProductDoc,
} from '../../db/tables/members.js';
import { normalizeHsCode } from '../reference/hs-code.js';
import { foldForSearch } from '../reference/text.js';
import type { Member } from './schemas.js';

export type MemberRow = Selectable<MembersTable>;

interface BySex {
  women: number;
  men: number;
}

/**
 * A member's writable data in one normalized form: what a create, replace or patch produces,
 * what "unchanged" compares and what the audit log diffs.
 */
export interface MemberDocument {
  externalRef: string | null;
  type: MemberType;
  name: string;
  legalForm: string | null;
  ice: string | null;
  taxId: string | null;
  rc: { tribunal: string; number: string } | null;
  region: string;
  province: string | null;
  city: string | null;
  remoteArea: boolean;
  womenLed: boolean;
  membersCount: BySex | null;
  employees: BySex | null;
  products: ProductDoc[];
  certifications: CertificationDoc[];
  exportMarkets: string[];
  targetMarkets: string[];
  digital: DigitalDoc | null;
  joinedOn: string;
  contacts: ContactDoc[];
}

/** The member's status fields, changed by withdrawal and patches only. */
export interface MemberState {
  status: MemberStatus;
  withdrawnOn: string | null;
}

/** Input that passed schema and domain validation (see validation.ts). */
export type ValidMemberInput = Partial<Record<keyof MemberDocument, unknown>> & {
  type: MemberType;
  name: string;
  region: string;
  remoteArea: boolean;
  womenLed: boolean;
};

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

/** Normalizes validated input; `joinedOn` falls back to the given default. */
export function toDocument(input: ValidMemberInput, defaultJoinedOn: string): MemberDocument {
  const products = (orNull(input.products) ?? []) as ProductDoc[];
  return {
    externalRef: orNull(input.externalRef as string | null),
    type: input.type,
    name: input.name,
    legalForm: orNull(input.legalForm as string | null),
    ice: orNull(input.ice as string | null),
    taxId: orNull(input.taxId as string | null),
    rc: orNull(input.rc as MemberDocument['rc']),
    region: input.region,
    province: orNull(input.province as string | null),
    city: orNull(input.city as string | null),
    remoteArea: input.remoteArea,
    womenLed: input.womenLed,
    membersCount: orNull(input.membersCount as BySex | null),
    employees: orNull(input.employees as BySex | null),
    products: products.map((p) => ({ ...p, hsCode: normalizeHsCode(p.hsCode) ?? p.hsCode })),
    certifications: (orNull(input.certifications) ?? []) as CertificationDoc[],
    exportMarkets: (orNull(input.exportMarkets) ?? []) as string[],
    targetMarkets: (orNull(input.targetMarkets) ?? []) as string[],
    digital: orNull(input.digital as DigitalDoc | null),
    joinedOn: (orNull(input.joinedOn) as string | null) ?? defaultJoinedOn,
    contacts: (orNull(input.contacts) ?? []) as ContactDoc[],
  };
}

/**
 * Text as PostgreSQL stores it: bound text travels as UTF-8, where a lone surrogate becomes
 * U+FFFD. Comparing and auditing the stored form keeps both equal to what reads back.
 */
export function storedText(value: string): string {
  return value.isWellFormed() ? value : value.toWellFormed();
}

const illFormed = (value: unknown) => typeof value === 'string' && !value.isWellFormed();

/** The document as it reads back once written: its text columns well-formed (storedText). */
export function asStored(doc: MemberDocument): MemberDocument {
  const { rc } = doc;
  const rcIllFormed = rc !== null && (illFormed(rc.tribunal) || illFormed(rc.number));
  if (!rcIllFormed && !Object.values(doc).some(illFormed)) return doc;
  const stored = Object.fromEntries(
    Object.entries(doc).map(([key, value]) => [
      key,
      typeof value === 'string' ? storedText(value) : value,
    ]),
  ) as unknown as MemberDocument;
  if (rc !== null) stored.rc = { tribunal: storedText(rc.tribunal), number: storedText(rc.number) };
  return stored;
}

export function documentOf(row: MemberRow): MemberDocument {
  return {
    externalRef: row.externalRef,
    type: row.type,
    name: row.name,
    legalForm: row.legalForm,
    ice: row.ice,
    taxId: row.taxId,
    rc:
      row.rcTribunal !== null && row.rcNumber !== null
        ? { tribunal: row.rcTribunal, number: row.rcNumber }
        : null,
    region: row.region,
    province: row.province,
    city: row.city,
    remoteArea: row.remoteArea,
    womenLed: row.womenLed,
    membersCount: bySex(row.membersWomen, row.membersMen),
    employees: bySex(row.employeesWomen, row.employeesMen),
    products: row.products,
    certifications: row.certifications,
    exportMarkets: row.exportMarkets,
    targetMarkets: row.targetMarkets,
    digital: row.digital,
    joinedOn: row.joinedOn,
    contacts: row.contacts,
  };
}

function bySex(women: number | null, men: number | null): BySex | null {
  return women === null || men === null ? null : { women, men };
}

/** The columns a document fills (jsonb as JSON text, as Kysely's inserts and updates bind it). */
export function columnsOf(doc: MemberDocument) {
  return columnValues(doc, (value) => JSON.stringify(value));
}

/** The columns a document fills, jsonb as the documents themselves (for a JSON recordset). */
export function recordOf(doc: MemberDocument) {
  return columnValues(doc, (value) => value);
}

function columnValues<J>(doc: MemberDocument, json: (value: object) => J) {
  return {
    externalRef: doc.externalRef,
    type: doc.type,
    name: doc.name,
    nameSearch: foldForSearch(doc.name),
    legalForm: doc.legalForm,
    ice: doc.ice,
    taxId: doc.taxId,
    rcTribunal: doc.rc?.tribunal ?? null,
    rcNumber: doc.rc?.number ?? null,
    region: doc.region,
    province: doc.province,
    city: doc.city,
    remoteArea: doc.remoteArea,
    womenLed: doc.womenLed,
    membersWomen: doc.membersCount?.women ?? null,
    membersMen: doc.membersCount?.men ?? null,
    employeesWomen: doc.employees?.women ?? null,
    employeesMen: doc.employees?.men ?? null,
    products: json(doc.products),
    hsCodes: [...new Set(doc.products.map((p) => p.hsCode))],
    certifications: json(doc.certifications),
    exportMarkets: doc.exportMarkets,
    targetMarkets: doc.targetMarkets,
    digital: doc.digital === null ? null : json(doc.digital),
    joinedOn: doc.joinedOn,
    contacts: json(doc.contacts),
  };
}

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    partnerCode: row.partnerCode,
    ...documentOf(row),
    status: row.status,
    withdrawnOn: row.withdrawnOn,
    personalDataErasedAt: row.personalDataErasedAt,
    readiness: row.readinessCategory,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The document and state as a plain object without nulls: the base of a merge patch. */
export function patchBase(row: MemberRow): Record<string, unknown> {
  const full: Record<string, unknown> = {
    partnerCode: row.partnerCode,
    ...documentOf(row),
    status: row.status,
    withdrawnOn: row.withdrawnOn,
  };
  return Object.fromEntries(Object.entries(full).filter(([, v]) => v !== null));
}
