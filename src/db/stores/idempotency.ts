import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../database.js';
import type { Database } from '../schema.js';
import type { IdempotencyKeysTable, StoredHeaders } from '../tables/idempotency-keys.js';

/**
 * The SQL of idempotency records (src/http/plugins/idempotency.ts holds the HTTP part): one
 * record per caller, method, path and key, kept 24 h.
 */

const RETENTION = '24 hours';

export interface IdempotencyScope {
  callerId: string;
  method: string;
  path: string;
  key: string;
}

/**
 * Takes the record: a new one, one that expired, or a running one abandoned by a request that
 * never finished (same body only). True when the caller owns it.
 */
export async function claimRecord(
  db: Db,
  scope: IdempotencyScope,
  fingerprint: string,
  lockSeconds: number,
): Promise<boolean> {
  const { rows } = await sql`
    insert into idempotency_keys as k
      (caller_id, method, path, key, fingerprint, state, expires_at, locked_until)
    values (${scope.callerId}, ${scope.method}, ${scope.path}, ${scope.key}, ${fingerprint},
      'running', now() + ${RETENTION}::interval, now() + make_interval(secs => ${lockSeconds}))
    on conflict (caller_id, method, path, key) do update set
      fingerprint = excluded.fingerprint, state = 'running', response_status = null,
      response_headers = null, response_body = null, response_withheld = null, subject = null,
      created_at = now(),
      expires_at = excluded.expires_at, locked_until = excluded.locked_until
    where k.expires_at <= now()
      or (k.state = 'running' and k.locked_until <= now() and k.fingerprint = excluded.fingerprint)
    returning 1 as claimed`.execute(db);
  return rows.length === 1;
}

/** The record of one scope, as a where clause for selects, updates and deletes alike. */
function inScope(scope: IdempotencyScope) {
  return (eb: ExpressionBuilder<Database, 'idempotencyKeys'>) =>
    eb.and({
      callerId: scope.callerId,
      method: scope.method,
      path: scope.path,
      key: scope.key,
    });
}

/** The unexpired record of one scope, if any. */
export async function findRecord(db: Db, scope: IdempotencyScope) {
  return db
    .selectFrom('idempotencyKeys')
    .where(inScope(scope))
    .select([
      'fingerprint',
      'state',
      'responseStatus',
      'responseHeaders',
      'responseBody',
      'responseWithheld',
    ])
    .where(sql<boolean>`expires_at > now()`)
    .executeTakeFirst();
}

export type StoredResponse = NonNullable<Awaited<ReturnType<typeof findRecord>>>;

/** Drops a running record, so that its key may be used again. */
export async function dropRunningRecord(db: Db, scope: IdempotencyScope): Promise<void> {
  await db
    .deleteFrom('idempotencyKeys')
    .where(inScope(scope))
    .where('state', '=', 'running')
    .execute();
}

export interface CompletedResponse {
  status: number;
  headers: StoredHeaders;
  /** The sealed body, or null when it is withheld. */
  body: string | null;
  withheld: IdempotencyKeysTable['responseWithheld'];
  subject: string;
}

/** Completes a running record with the response to replay. */
export async function completeRecord(
  db: Db,
  scope: IdempotencyScope,
  response: CompletedResponse,
): Promise<void> {
  await db
    .updateTable('idempotencyKeys')
    .set({
      state: 'completed',
      responseStatus: response.status,
      responseHeaders: JSON.stringify(response.headers),
      responseBody: response.body,
      responseWithheld: response.withheld,
      subject: response.subject,
    })
    .where(inScope(scope))
    .where('state', '=', 'running')
    .execute();
}

/**
 * Drops the kept bodies of the responses about a resource and what lies below it (erasure of
 * personal data; caller's transaction): a repeat of those requests is then a 410, never the
 * data again. Returns how many were withheld.
 */
export async function withholdStoredResponses(db: Db, subject: string): Promise<number> {
  const result = await db
    .updateTable('idempotencyKeys')
    .set({ responseBody: null, responseWithheld: 'personal-data-erased' })
    .where((eb) =>
      eb.or([eb('subject', '=', subject), eb('subject', 'like', `${escapeLike(subject)}/%`)]),
    )
    .where('state', '=', 'completed')
    .where('responseBody', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Deletes the records past their 24 h; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('idempotencyKeys')
    .where(sql<boolean>`expires_at <= now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
