import { sql } from 'kysely';
import t from 'tap';
import * as tense from '../../migrations/0012_audit_action_tense.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { AUDIT_ACTIONS } from '../../src/modules/audit/actions.js';
import { startTestApp } from '../helpers/app.js';

const { api, database } = await startTestApp(t);
const db = database.db;

const actionsOf = async (query: string) => {
  const res = await api({ method: 'GET', url: `/v1/audit-events?${query}` });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json().data as { entityId: string; action: string }[]).map((e) => [
    e.entityId,
    e.action,
  ]);
};

t.test('?action= takes the past tense, and only the actions there are', async (t) => {
  const created = await api({
    method: 'POST',
    url: '/v1/partners',
    body: { code: 'TENSE', name: 'Tense Federation' },
  });
  t.equal(created.statusCode, 201);
  t.same(await actionsOf('entity=partner&entityId=TENSE&action=created'), [['TENSE', 'created']]);

  const present = await api({ method: 'GET', url: '/v1/audit-events?action=create' });
  t.equal(present.statusCode, 400, 'the old present tense is refused, not silently empty');
  t.match(present.json(), { errors: [{ parameter: 'action' }] });
  t.equal((await api({ method: 'GET', url: '/v1/audit-events?action=nope' })).statusCode, 400);
});

t.test('every stored action is one of the enum', async (t) => {
  const stored = await sql<{ action: string }>`select distinct action from audit_events`.execute(
    db,
  );
  t.ok(stored.rows.length > 0);
  for (const { action } of stored.rows) t.ok(AUDIT_ACTIONS.includes(action as never), action);
});

t.test('migration 0012 renames what older writers stored, also after 0013–0018 ran', async (t) => {
  const old = [
    ['partner', 'OLDP', 'create'],
    ['apiKey', 'old-key', 'revoke'],
    ['kpiValue', 'old-value', 'repair'],
    ['periodLock', 'old-lock', 'unlock'],
    ['member', 'old-member', 'created'],
  ] as const;
  for (const [entity, entityId, action] of old) {
    await sql`insert into audit_events (id, entity, entity_id, action)
      values (gen_random_uuid(), ${entity}, ${entityId}, ${action})`.execute(db);
  }
  // An existing database: every later migration applied, 0012 not yet there.
  await sql`delete from kysely_migration where name = '0012_audit_action_tense'`.execute(db);
  const applied = await migrateToLatest(db);
  t.same(
    applied.map((r) => [r.migrationName, r.status]),
    [['0012_audit_action_tense', 'Success']],
  );
  const stored = async () =>
    (
      await sql<{ ref: string; action: string }>`select entity_id as ref, action from audit_events
        where entity_id like 'old-%' or entity_id = 'OLDP' order by entity_id`.execute(db)
    ).rows.map((r) => [r.ref, r.action]);
  t.same(await stored(), [
    ['OLDP', 'created'],
    ['old-key', 'revoked'],
    ['old-lock', 'unlocked'],
    ['old-member', 'created'],
    ['old-value', 'repaired'],
  ]);
  t.same(await actionsOf('entityId=old-key&action=revoked'), [['old-key', 'revoked']]);

  await t.rejects(
    sql`update audit_events set action = 'updated' where entity_id = 'OLDP'`.execute(db),
    /append-only/,
    'the append-only trigger is on again',
  );

  await db.transaction().execute((trx) => tense.down(trx));
  t.same(
    await stored(),
    [
      ['OLDP', 'create'],
      ['old-key', 'revoke'],
      ['old-lock', 'unlock'],
      ['old-member', 'created'],
      ['old-value', 'repair'],
    ],
    'down restores the present tense of the writers that used it',
  );
  await db.transaction().execute((trx) => tense.up(trx));
});
