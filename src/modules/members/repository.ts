import { type RawBuilder, sql, type Transaction } from 'kysely';
import { camelColumns } from '../../db/camel-columns.js';
import type { Db } from '../../db/database.js';
import { applyListOrder } from '../../db/list-order.js';
import { type RecordsetColumn, recordset, recordsetColumns } from '../../db/recordset.js';
import type { Database } from '../../db/schema.js';
import type { MemberStatus, MembersTable } from '../../db/tables/members.js';
import type { Writer } from '../../http/plugins/auth.js';
import type { ListOrder } from '../../http/schemas/pagination.js';
import { normalizeHsCode } from '../reference/hs-code.js';
import { foldForSearch } from '../reference/text.js';
import {
  columnsOf,
  type MemberDocument,
  type MemberRow,
  type MemberState,
  recordOf,
} from './document.js';
import type { MemberListFilters } from './schemas.js';

/**
 * Every column of a member, selected under its property's name: the reads of one member and of
 * a page return rows the CamelCase plugin need not copy (src/db/camel-columns.ts).
 */
export const MEMBER_PROPERTIES: Record<keyof MembersTable & string, true> = {
  id: true,
  partnerCode: true,
  externalRef: true,
  type: true,
  name: true,
  nameSearch: true,
  legalForm: true,
  ice: true,
  taxId: true,
  rcTribunal: true,
  rcNumber: true,
  region: true,
  province: true,
  city: true,
  remoteArea: true,
  womenLed: true,
  membersWomen: true,
  membersMen: true,
  employeesWomen: true,
  employeesMen: true,
  products: true,
  hsCodes: true,
  certifications: true,
  exportMarkets: true,
  targetMarkets: true,
  digital: true,
  contacts: true,
  joinedOn: true,
  status: true,
  withdrawnOn: true,
  personalDataErasedAt: true,
  readinessCategory: true,
  readinessAssessmentId: true,
  readinessAssessedOn: true,
  changedByKind: true,
  changedBy: true,
  changedByRole: true,
  version: true,
  createdAt: true,
  updatedAt: true,
};
export const MEMBER_COLUMNS = camelColumns<MembersTable>('members', MEMBER_PROPERTIES);

function memberById(db: Db, id: string, scope: string | null) {
  const query = db.selectFrom('members').select(MEMBER_COLUMNS).where('id', '=', id);
  // A partner key sees its own partner's members only; others are as if absent.
  return (scope === null ? query : query.where('partnerCode', '=', scope)).$castTo<MemberRow>();
}

export async function findMember(
  db: Db,
  id: string,
  scope: string | null,
): Promise<MemberRow | undefined> {
  return memberById(db, id, scope).executeTakeFirst();
}

/** The member, locked until the transaction ends (commands that change it or its readiness). */
export async function lockMember(
  trx: Transaction<Database>,
  id: string,
  scope: string | null,
): Promise<MemberRow | undefined> {
  return memberById(trx, id, scope).forUpdate().executeTakeFirst();
}

export async function findByExternalRef(
  db: Db,
  partnerCode: string,
  externalRef: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('partnerCode', '=', partnerCode)
    .where('externalRef', '=', externalRef)
    .executeTakeFirst();
}

/** A partner's member, by the id its partner system knows it by. */
interface ExternalKey {
  partnerCode: string;
  externalRef: string;
}

function byExternalRefs(db: Db, keys: readonly ExternalKey[]) {
  const codes = keys.map((k) => k.partnerCode);
  const refs = keys.map((k) => k.externalRef);
  return db
    .selectFrom('members')
    .selectAll()
    .where(
      sql<boolean>`(partner_code, external_ref) in (select * from unnest(${codes}::text[], ${refs}::text[]))`,
    );
}

/** The stored members of these partner-and-externalRef pairs (absent pairs are left out). */
export async function findByExternalRefs(db: Db, keys: readonly ExternalKey[]) {
  return byExternalRefs(db, keys).execute();
}

/** As findByExternalRefs, locked in id order (so that concurrent writers do not deadlock). */
export async function lockByExternalRefs(trx: Transaction<Database>, keys: readonly ExternalKey[]) {
  return byExternalRefs(trx, keys).orderBy('id').forUpdate().execute();
}

/** The member holding an ICE, whichever partner it belongs to (ICE is unique programme-wide). */
export async function findIceHolder(db: Db, ice: string) {
  return db
    .selectFrom('members')
    .select(['id', 'partnerCode', 'externalRef'])
    .where('ice', '=', ice)
    .executeTakeFirst();
}

type UpsertRecord = { id: string; partnerCode: string } & ReturnType<typeof recordOf> & Writer;

/** The columns an upsert writes, in order, with each column's PostgreSQL type. */
export const UPSERT_COLUMNS: readonly RecordsetColumn<UpsertRecord>[] = [
  ['id', 'uuid'],
  ['partnerCode', 'text'],
  ['externalRef', 'text'],
  ['type', 'text'],
  ['name', 'text'],
  ['nameSearch', 'text'],
  ['legalForm', 'text'],
  ['ice', 'text'],
  ['taxId', 'text'],
  ['rcTribunal', 'text'],
  ['rcNumber', 'text'],
  ['region', 'text'],
  ['province', 'text'],
  ['city', 'text'],
  ['remoteArea', 'boolean'],
  ['womenLed', 'boolean'],
  ['membersWomen', 'integer'],
  ['membersMen', 'integer'],
  ['employeesWomen', 'integer'],
  ['employeesMen', 'integer'],
  ['products', 'jsonb'],
  ['hsCodes', 'text[]'],
  ['certifications', 'jsonb'],
  ['exportMarkets', 'text[]'],
  ['targetMarkets', 'text[]'],
  ['digital', 'jsonb'],
  ['joinedOn', 'date'],
  ['contacts', 'jsonb'],
  ['changedByKind', 'text'],
  ['changedBy', 'text'],
  ['changedByRole', 'text'],
];

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const upsertTarget = (() => {
  const names = UPSERT_COLUMNS.map(([key]) => snakeCase(key));
  const updates = names.slice(2).map((name) => `${name} = excluded.${name}`);
  return {
    into: sql.raw(`insert into members (${names.join(', ')})`),
    onConflict: sql.raw(
      `on conflict (partner_code, external_ref) do update set ${updates.join(', ')}, version = members.version + 1, updated_at = now()`,
    ),
  };
})();

type MemberToWrite = { id: string; partnerCode: string; doc: MemberDocument; writer: Writer };

/** What identifies a written member, and whether the write created it. */
export interface WrittenMember {
  id: string;
  partnerCode: string;
  externalRef: string | null;
  version: number;
  inserted: boolean;
}

/**
 * Creates or fully replaces members by (partner, externalRef) in one statement, whatever their
 * number (the rows travel as one JSON recordset), returning what `returning` names; `inserted`
 * says which rows were new. Rows must not repeat a (partner, externalRef).
 */
function upsertStatement<R>(members: readonly MemberToWrite[], returning: RawBuilder<unknown>) {
  const records = members.map(
    (m): UpsertRecord => ({
      id: m.id,
      partnerCode: m.partnerCode,
      ...recordOf(m.doc),
      ...m.writer,
    }),
  );
  return sql<R>`${upsertTarget.into}
    select ${recordsetColumns(UPSERT_COLUMNS)} from ${recordset(records, UPSERT_COLUMNS)}
    ${upsertTarget.onConflict} returning ${returning}, xmax = 0 as inserted`;
}

/** Upserts members (see upsertStatement) and returns the written rows. */
export async function upsertMembers(db: Db, members: readonly MemberToWrite[]) {
  const statement = upsertStatement<MemberRow & { inserted: boolean }>(members, sql.raw('*'));
  return (await statement.execute(db)).rows;
}

/** Upserts members (see upsertStatement) and returns only what identifies each row. */
export async function upsertMemberKeys(db: Db, members: readonly MemberToWrite[]) {
  const statement = upsertStatement<WrittenMember>(
    members,
    sql.raw('id, partner_code, external_ref, version'),
  );
  return (await statement.execute(db)).rows;
}

export async function insertMember(db: Db, member: MemberToWrite): Promise<MemberRow> {
  return db
    .insertInto('members')
    .values({
      id: member.id,
      partnerCode: member.partnerCode,
      ...columnsOf(member.doc),
      ...member.writer,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Writes a new document and state and bumps the version. */
export async function updateMember(
  db: Db,
  id: string,
  doc: MemberDocument,
  state: MemberState,
  writer: Writer,
): Promise<MemberRow> {
  return db
    .updateTable('members')
    .set({
      ...columnsOf(doc),
      ...writer,
      status: state.status,
      withdrawnOn: state.withdrawnOn,
      version: sql<number>`version + 1`,
      updatedAt: sql<string>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setMemberStatus(
  db: Db,
  id: string,
  status: MemberStatus,
  withdrawnOn: string | null,
  writer: Writer,
): Promise<MemberRow> {
  return db
    .updateTable('members')
    .set({
      ...writer,
      status,
      withdrawnOn,
      version: sql<number>`version + 1`,
      updatedAt: sql<string>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Removes the contacts (names, e-mails, phones); counts and statistics stay. */
export async function eraseContacts(db: Db, id: string, writer: Writer): Promise<MemberRow> {
  return db
    .updateTable('members')
    .set({
      ...writer,
      contacts: '[]',
      personalDataErasedAt: sql<string>`now()`,
      version: sql<number>`version + 1`,
      updatedAt: sql<string>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Escapes LIKE wildcards so that a search for `50%` means the characters. */
function likeContains(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of members in id order (UUID v7: creation order), or by (updatedAt, id) from
 * `updatedSince`. Keyset pagination: rows inserted meanwhile neither shift nor repeat the rows
 * of later pages.
 */
export async function listMembers(
  db: Db,
  scope: string | null,
  filters: MemberListFilters,
  order: ListOrder,
) {
  let query = db.selectFrom('members').select(MEMBER_COLUMNS);
  if (scope !== null) query = query.where('partnerCode', '=', scope);
  if (filters.partner !== undefined) query = query.where('partnerCode', '=', filters.partner);
  if (filters.type !== undefined) query = query.where('type', '=', filters.type);
  if (filters.region !== undefined) query = query.where('region', '=', filters.region);
  if (filters.province !== undefined) query = query.where('province', '=', filters.province);
  if (filters.womenLed !== undefined) query = query.where('womenLed', '=', filters.womenLed);
  if (filters.remoteArea !== undefined) query = query.where('remoteArea', '=', filters.remoteArea);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  if (filters.category !== undefined)
    query = query.where('readinessCategory', '=', filters.category);
  if (filters.hsCode !== undefined) {
    const code = normalizeHsCode(filters.hsCode) ?? filters.hsCode;
    query = query.where(sql<boolean>`hs_codes @> array[${code}]::text[]`);
  }
  if (filters.q !== undefined)
    query = query.where('nameSearch', 'like', likeContains(foldForSearch(filters.q)));
  return applyListOrder(query, 'members', order)
    .limit(filters.limit + 1)
    .$castTo<MemberRow & { cursorUpdatedAt: string }>()
    .execute();
}
