import { type RawBuilder, sql } from 'kysely';

/** A column of a recordset: the key of each row object and its PostgreSQL type. */
export type RecordsetColumn<T> = readonly [key: keyof T & string, type: string];

/**
 * Many rows sent as ONE jsonb parameter and read back as a table:
 * `jsonb_to_recordset($1::jsonb) as r("key" type, …)`. One JSON.stringify costs a fraction of
 * binding every value (or of escaping JSON text into array literals for `unnest`), and the
 * statement's text is the same whatever the number of rows. jsonb columns travel as nested
 * JSON, text[] columns as JSON arrays, null as SQL NULL.
 */
export function recordset<T extends object>(
  rows: readonly T[],
  columns: readonly RecordsetColumn<T>[],
): RawBuilder<unknown> {
  const definitions = columns.map(([key, type]) => `"${key}" ${type}`).join(', ');
  const texts = columns.filter(([, type]) => type === 'text').map(([key]) => key);
  const json = JSON.stringify(rows.map((row) => withWellFormedTexts(row, texts)));
  return sql`jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(definitions)})`;
}

/** The recordset's columns as a select list, in order. */
export function recordsetColumns<T>(columns: readonly RecordsetColumn<T>[]): RawBuilder<unknown> {
  return sql.raw(columns.map(([key]) => `"${key}"`).join(', '));
}

/**
 * Text bound as a parameter reaches PostgreSQL as UTF-8, where a lone surrogate becomes U+FFFD;
 * in JSON it would be an escape jsonb refuses. Replacing it here keeps what is stored as before.
 */
function withWellFormedTexts<T extends object>(row: T, texts: readonly (keyof T)[]): T {
  let fixed: T | undefined;
  for (const key of texts) {
    const value = row[key];
    if (typeof value === 'string' && !value.isWellFormed()) {
      fixed ??= { ...row };
      fixed[key] = value.toWellFormed() as T[keyof T];
    }
  }
  return fixed ?? row;
}
