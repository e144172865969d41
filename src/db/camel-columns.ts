import { sql } from 'kysely';

/** `partnerCode` → `partner_code`: the columns are the plain snake_case of the properties. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * An alias the CamelCase plugin leaves alone: it snake-cases every identifier of a query, its
 * aliases too, but not raw SQL.
 */
export function camelAlias(name: string) {
  return sql.raw(`"${name}"`);
}

/**
 * A select list that names each column by its property (`members.partner_code as
 * "partnerCode"`): rows come back as the code reads them, and the plugin, finding nothing to
 * rename, passes them on instead of copying each (src/db/database.ts; 47 µs per 21-row page
 * of members, bench/ablation.md). `columns` lists every property of the table's type, so that a
 * column added to the table without being added here fails the typecheck.
 *
 * The list is one raw fragment aliased once (`a as "a", …, z` + ` as "z"`): a node per column
 * made Kysely's plugin pass and compiler walk 80 nodes per query, which cost ~44 µs, more than
 * the copy it saves for one row (bench/ablation-kysely.ts). Select it with `$castTo` the row.
 */
export function camelColumns<Table>(table: string, columns: Record<keyof Table & string, true>) {
  const names = Object.keys(columns);
  const last = names.at(-1);
  if (last === undefined) throw new Error('camelColumns: no column');
  return sql.raw(camelSelectList(table, names, { aliasLast: false })).as(camelAlias(last));
}

/**
 * The select list's text, `t.a as "a", …, t.z as "z"` (camelColumns leaves the last alias to
 * Kysely); bench/floor.ts issues the same text.
 */
export function camelSelectList(
  table: string,
  names: readonly string[],
  { aliasLast = true } = {},
) {
  const aliased = names.map((name) => `${table}.${snakeCase(name)} as "${name}"`);
  const last = names.at(-1);
  if (!aliasLast && last !== undefined) aliased[aliased.length - 1] = `${table}.${snakeCase(last)}`;
  return aliased.join(', ');
}
