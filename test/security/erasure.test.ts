import { sql } from 'kysely';
import t from 'tap';
import type { Db } from '../../src/db/database.js';
import { startTestApp } from '../helpers/app.js';
import { feedCaughtUp } from '../helpers/feed.js';
import { memberBody } from '../members/fixtures.js';

const PERSONAL = ['Fatima Zahra', 'fz@example.ma', '+212612345678'];

async function tableText(db: Db, table: string) {
  const dump = await sql<{ t: string }>`
    select coalesce(string_agg(x::text, ' '), '') as t from ${sql.table(table)} x`.execute(db);
  return dump.rows[0]?.t ?? '';
}

t.test('after erasure no store holds the contacts; a replayed create finds nothing', async (t) => {
  const { api, app } = await startTestApp(t);
  const create = {
    method: 'POST' as const,
    url: '/v1/members',
    body: memberBody(),
    headers: { 'idempotency-key': 'create-safran' },
  };
  const created = await api(create);
  t.equal(created.statusCode, 201);
  const id = created.json().id as string;
  const replayedBefore = await api(create);
  t.equal(replayedBefore.headers['idempotent-replayed'], 'true', 'replays before erasure');
  t.match(replayedBefore.body, 'Fatima Zahra');
  // A change of the contacts, so that the audit log holds them as from and to values.
  const patched = await api({
    method: 'PATCH',
    url: `/v1/members/${id}`,
    headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
    body: { contacts: [{ name: 'Fatima Zahra', email: 'fz@example.ma', role: 'gérante' }] },
  });
  t.equal(patched.statusCode, 200);

  // The detector below can fail: before erasure these stores hold the contacts as text.
  for (const table of ['members', 'audit_events']) {
    const before = await tableText(app.db, table);
    for (const value of PERSONAL.slice(0, 2))
      t.ok(before.includes(value), `${table} held ${value}`);
  }

  const erased = await api({
    method: 'POST',
    url: `/v1/members/${id}/erase-personal-data`,
    headers: { 'idempotency-key': 'erase-safran' },
  });
  t.equal(erased.statusCode, 200);

  const replayed = await api(create);
  t.equal(replayed.statusCode, 410, 'the replay is refused, not answered with the contacts');
  t.match(replayed.json(), { type: 'urn:jahiz:problem:idempotent-response-personal-data-erased' });
  for (const value of PERSONAL) t.notOk(replayed.body.includes(value), `${value} not replayed`);
  const members = await app.db.selectFrom('members').select('id').execute();
  t.equal(members.length, 1, 'the replay created nothing');

  // Every table, as text (the events outbox and webhook deliveries among them): none holds a
  // contact's name, e-mail or phone any more.
  const { rows } = await sql<{ tableName: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(app.db);
  t.ok(
    rows.some((r) => r.tableName === 'events'),
    'the events outbox is among them',
  );
  for (const { tableName } of rows) {
    const text = await tableText(app.db, tableName);
    for (const value of PERSONAL) t.notOk(text.includes(value), `${tableName} holds no ${value}`);
  }
  // The feed tells partners what happened to the member, by field names only.
  await feedCaughtUp(app.db);
  const feed = await api({ method: 'GET', url: '/v1/events?limit=100' });
  const mine = feed.json().data.filter((e: { subject: { id: string } }) => e.subject.id === id);
  t.same(
    mine.map((e: { type: string }) => e.type),
    ['member.created', 'member.updated', 'member.erased'],
  );
  t.ok(mine[2].data.changedFields.includes('contacts'), 'the erasure names the contacts field');
  for (const value of PERSONAL) t.notOk(feed.body.includes(value), `the feed holds no ${value}`);
  const audit = await api({ method: 'GET', url: `/v1/audit-events?entity=member&entityId=${id}` });
  t.match(audit.body, '[erased]', 'audit values erased');
  for (const value of PERSONAL) t.notOk(audit.body.includes(value));
});
