import type { Db } from '../../db/database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The members a form's `member_ref` may name, visible to the key (scope): by id, by ICE, by the
 * partner's externalRef — in that order of precedence. An externalRef is unique per partner
 * only, so for an admin key it may name several members.
 */
export async function membersByRef(db: Db, scope: string | null, ref: string) {
  let query = db
    .selectFrom('members')
    .select(['id', 'ice', 'externalRef'])
    .where((eb) =>
      eb.or([
        ...(UUID.test(ref) ? [eb('id', '=', ref.toLowerCase())] : []),
        eb('ice', '=', ref),
        eb('externalRef', '=', ref),
      ]),
    );
  if (scope !== null) query = query.where('partnerCode', '=', scope);
  const rows = await query.limit(10).execute();
  const byId = rows.filter((r) => r.id === ref.toLowerCase());
  if (byId.length > 0) return byId;
  const byIce = rows.filter((r) => r.ice === ref);
  return byIce.length > 0 ? byIce : rows;
}

/** The assessment imported from a submission, within the member's partner. */
export async function findBySubmission(db: Db, partnerCode: string, submissionId: string) {
  return db
    .selectFrom('assessments')
    .select(['id', 'memberId', 'gridId', 'assessedOn', 'answers', 'status'])
    .where('partnerCode', '=', partnerCode)
    .where('submissionId', '=', submissionId)
    .executeTakeFirst();
}
