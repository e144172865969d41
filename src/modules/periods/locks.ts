import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { PeriodLocksTable } from '../../db/tables/kpi-period-locks.js';
import { uuidv7 } from '../../db/uuid.js';
import { HttpProblem } from '../../http/problem.js';
import { type Period, parsePeriod } from './period.js';

export type PeriodLock = Selectable<PeriodLocksTable>;

/**
 * A write of a period is blocked when its period overlaps a locked one (for all partners or for
 * the writer's): a lock on 2025 blocks 2025Q2 and 2025-03, and a lock on 2025Q1 blocks 2025-02
 * and also 2025, since a yearly figure covers the closed quarter. Calendar periods nest, so
 * "overlaps" is "one contains the other".
 */
export function blockingLock(
  locks: readonly PeriodLock[],
  period: Period,
  partnerCode: string | null,
): PeriodLock | undefined {
  return locks.find(
    (lock) =>
      (lock.partnerCode === null || lock.partnerCode === partnerCode) &&
      lock.periodStart <= period.end &&
      period.start <= lock.periodEnd,
  );
}

/** Why a write is refused, for problem details and bulk row errors. */
export function lockedMessage(lock: PeriodLock, period: Period): string {
  const whom = lock.partnerCode === null ? 'all partners' : lock.partnerCode;
  const within = lock.period === period.code ? '' : ` (${period.code} overlaps it)`;
  return `period ${lock.period} is locked for ${whom}${within}`;
}

function periodLockedProblem(lock: PeriodLock, period: Period) {
  return new HttpProblem({
    type: 'period-locked',
    detail: `No writes: ${lockedMessage(lock, period)}.`,
    extensions: { lockedPeriod: lock.period, lockedFor: lock.partnerCode },
  });
}

/** Every lock (a small table): for bulk writes that check many rows against them. */
export function loadLocks(db: Db) {
  return db.selectFrom('periodLocks').selectAll().execute();
}

/**
 * A page of locks by period start then id. With `partnerCode`, the locks that bind that
 * partner: its own and those of all partners.
 */
export async function listLocks(
  db: Db,
  partnerCode: string | null,
  limit: number,
  after?: readonly [string, string],
) {
  let query = db
    .selectFrom('periodLocks')
    .selectAll()
    .orderBy('periodStart')
    .orderBy('id')
    .limit(limit + 1);
  if (partnerCode !== null) {
    query = query.where((eb) =>
      eb.or([eb('partnerCode', 'is', null), eb('partnerCode', '=', partnerCode)]),
    );
  }
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('periodStart', '>', after[0]),
        eb.and([eb('periodStart', '=', after[0]), eb('id', '>', after[1])]),
      ]),
    );
  }
  return query.execute();
}

/**
 * Throws a 409 `period-locked` problem when writes of `period` by `partnerCode` are blocked.
 * For other modules whose records count in a period (activities, reported values).
 */
export async function assertPeriodOpen(
  db: Db,
  period: Period | string,
  partnerCode: string | null,
): Promise<void> {
  const parsed = typeof period === 'string' ? parsePeriod(period) : period;
  const lock = await db
    .selectFrom('periodLocks')
    .selectAll()
    .where('periodStart', '<=', parsed.end)
    .where('periodEnd', '>=', parsed.start)
    .where((eb) => eb.or([eb('partnerCode', 'is', null), eb('partnerCode', '=', partnerCode)]))
    .orderBy('periodStart')
    .limit(1)
    .executeTakeFirst();
  if (lock) throw periodLockedProblem(lock, parsed);
}

function findLock(db: Db, period: string, partnerCode: string | null) {
  return db
    .selectFrom('periodLocks')
    .selectAll()
    .where('period', '=', period)
    .where((eb) =>
      partnerCode === null ? eb('partnerCode', 'is', null) : eb('partnerCode', '=', partnerCode),
    )
    .executeTakeFirst();
}

/** Locks a period; `created` is false when it was locked already (the existing lock). */
export async function lockPeriod(
  db: Db,
  period: Period,
  partnerCode: string | null,
  createdBy: string | null,
) {
  const inserted = await db
    .insertInto('periodLocks')
    .values({
      id: uuidv7(),
      period: period.code,
      periodStart: period.start,
      periodEnd: period.end,
      partnerCode,
      createdBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { lock: inserted, created: true };
  const existing = await findLock(db, period.code, partnerCode);
  if (!existing) throw new Error('lock conflict without an existing lock');
  return { lock: existing, created: false };
}

export async function unlockPeriod(db: Db, period: string, partnerCode: string | null) {
  return db
    .deleteFrom('periodLocks')
    .where('period', '=', period)
    .where((eb) =>
      partnerCode === null ? eb('partnerCode', 'is', null) : eb('partnerCode', '=', partnerCode),
    )
    .returningAll()
    .executeTakeFirst();
}
