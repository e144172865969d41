import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `read` in one read-only REPEATABLE READ transaction: every statement sees the same
 * snapshot, so the rows of a report (and its totals) come from one moment. The transaction
 * holds one connection; `read` must issue its statements on `trx` one after another and never
 * wait for the pool (in embedded mode the pool has one connection: that would deadlock).
 */
export function readSnapshot<T>(
  db: Kysely<Database>,
  read: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(read);
}
