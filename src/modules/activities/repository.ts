import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import { applyListOrder } from '../../db/list-order.js';
import type { Database } from '../../db/schema.js';
import type { ActivitiesTable } from '../../db/tables/activities.js';
import type { ParticipationsTable } from '../../db/tables/participations.js';
import type { ListOrder } from '../../http/schemas/pagination.js';
import type { ActivityListFilters } from './schemas.js';

export type ActivityRow = Selectable<ActivitiesTable>;
export type Participant = Omit<ParticipationsTable, 'activityId' | 'position'>;

/** The stored columns of an activity, without its participants. */
export type ActivityColumns = Pick<
  ActivitiesTable,
  'partnerCode' | 'type' | 'mode' | 'title' | 'startsOn' | 'endsOn' | 'city' | 'region' | 'country'
>;

function activityById(db: Db, id: string, scope: string | null) {
  const query = db.selectFrom('activities').selectAll().where('id', '=', id);
  // A partner key sees its own partner's activities only; others are as if absent.
  return scope === null ? query : query.where('partnerCode', '=', scope);
}

export async function findActivity(
  db: Db,
  id: string,
  scope: string | null,
): Promise<ActivityRow | undefined> {
  return activityById(db, id, scope).executeTakeFirst();
}

/** The activity, locked until the transaction ends (commands that change it). */
export async function lockActivity(
  trx: Transaction<Database>,
  id: string,
  scope: string | null,
): Promise<ActivityRow | undefined> {
  return activityById(trx, id, scope).forUpdate().executeTakeFirst();
}

/** Participants of the activities, by activity id, in the order they were given. */
export async function participantsOf(
  db: Db,
  activityIds: readonly string[],
): Promise<Map<string, Participant[]>> {
  const byActivity = new Map<string, Participant[]>(activityIds.map((id) => [id, []]));
  if (activityIds.length === 0) return byActivity;
  const rows = await db
    .selectFrom('participations')
    .select(['activityId', 'memberId', 'women', 'men'])
    .where('activityId', 'in', activityIds)
    .orderBy('activityId')
    .orderBy('position')
    .execute();
  for (const { activityId, ...participant } of rows) byActivity.get(activityId)?.push(participant);
  return byActivity;
}

/**
 * The ids among `memberIds` that the caller may name: every member for admin keys, its own
 * partner's members for a partner key.
 */
export async function visibleMemberIds(
  db: Db,
  memberIds: readonly string[],
  scope: string | null,
): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  let query = db.selectFrom('members').select('id').where('id', 'in', memberIds);
  if (scope !== null) query = query.where('partnerCode', '=', scope);
  return new Set((await query.execute()).map((r) => r.id));
}

/** The partners of the participating members (their KPIs change with the activity). */
export async function partnersOfMembers(db: Db, memberIds: readonly string[]): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .selectFrom('members')
    .select('partnerCode')
    .distinct()
    .where('id', 'in', memberIds)
    .execute();
  return rows.map((r) => r.partnerCode);
}

export async function insertActivity(db: Db, id: string, columns: ActivityColumns) {
  return db
    .insertInto('activities')
    .values({ id, ...columns })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateActivity(db: Db, id: string, columns: ActivityColumns) {
  return db
    .updateTable('activities')
    .set({ ...columns, version: sql<number>`version + 1`, updatedAt: sql<string>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the participant list as a whole. */
export async function replaceParticipants(
  db: Db,
  activityId: string,
  participants: readonly Participant[],
) {
  await db.deleteFrom('participations').where('activityId', '=', activityId).execute();
  if (participants.length === 0) return;
  await db
    .insertInto('participations')
    .values(participants.map((p, position) => ({ activityId, position, ...p })))
    .execute();
}

/** One page of activities in id order (UUID v7: creation order), keyset-paginated. */
export async function listActivities(
  db: Db,
  scope: string | null,
  filters: ActivityListFilters,
  order: ListOrder,
) {
  let query = db.selectFrom('activities').selectAll();
  if (scope !== null) query = query.where('partnerCode', '=', scope);
  if (filters.partner !== undefined) query = query.where('partnerCode', '=', filters.partner);
  if (filters.type !== undefined) query = query.where('type', '=', filters.type);
  if (filters.mode !== undefined) query = query.where('mode', '=', filters.mode);
  if (filters.from !== undefined) query = query.where('startsOn', '>=', filters.from);
  if (filters.to !== undefined) query = query.where('startsOn', '<=', filters.to);
  if (filters.memberId !== undefined) {
    const memberId = filters.memberId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('participations')
          .select(sql`1`.as('one'))
          .whereRef('participations.activityId', '=', 'activities.id')
          .where('participations.memberId', '=', memberId),
      ),
    );
  }
  return applyListOrder(query, 'activities', order)
    .limit(filters.limit + 1)
    .execute();
}
