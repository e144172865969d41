import { sql } from 'kysely';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { memberBody } from '../members/fixtures.js';

const PERSONAL = ['Fatima Zahra', 'fz@example.ma', '+212612345678'];

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

  // Every table, as text: none holds a contact's name, e-mail or phone any more.
  const { rows } = await sql<{ tableName: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(app.db);
  for (const { tableName } of rows) {
    const dump = await sql<{ t: string }>`
      select coalesce(string_agg(x::text, ' '), '') as t from ${sql.table(tableName)} x`.execute(
      app.db,
    );
    for (const value of PERSONAL) {
      t.notOk(dump.rows[0]?.t.includes(value), `${tableName} holds no ${value}`);
    }
  }
  const audit = await api({ method: 'GET', url: `/v1/audit-events?entity=member&entityId=${id}` });
  t.match(audit.body, '[erased]', 'audit values erased');
  for (const value of PERSONAL) t.notOk(audit.body.includes(value));
});
