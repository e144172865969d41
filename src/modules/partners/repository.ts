import type { Db } from '../../db/database.js';
import type { NewPartner } from './schemas.js';

export async function listPartners(db: Db, limit: number, afterCode: string | undefined) {
  let query = db
    .selectFrom('partners')
    .selectAll()
    .orderBy('code')
    .limit(limit + 1);
  if (afterCode !== undefined) query = query.where('code', '>', afterCode);
  return query.execute();
}

export async function findPartner(db: Db, code: string) {
  return db.selectFrom('partners').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Inserts a partner; undefined when the code is taken. */
export async function insertPartner(db: Db, partner: NewPartner) {
  return db
    .insertInto('partners')
    .values({
      code: partner.code,
      name: partner.name,
      shortName: partner.shortName ?? partner.code,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}
