import { sql } from 'kysely';
import t from 'tap';
import {
  creationChanges,
  diffChanges,
  recordAuditEvents,
  redactAuditValues,
} from '../../src/modules/audit/repository.js';
import { startTestApp } from '../helpers/app.js';

const { api, keyFor, app } = await startTestApp(t);

interface AuditEvent {
  id: string;
  occurredAt: string;
  actor: { kind: string; id: string; name?: string } | null;
  actorKeyId: string | null;
  partnerCode: string | null;
  entity: string;
  entityId: string;
  action: string;
  changes: Record<string, { from?: unknown; to?: unknown }> | null;
}

async function events(query: string): Promise<{ data: AuditEvent[]; nextCursor: string | null }> {
  const res = await api({ method: 'GET', url: `/v1/audit-events?${query}` });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

const adminKeyId = (
  await app.db
    .selectFrom('apiKeys')
    .select('id')
    .where('name', '=', 'JAHIZ_ADMIN_KEY')
    .executeTakeFirstOrThrow()
).id;

t.test('writes record who did what to which record, never the key', async (t) => {
  const partner = await api({
    method: 'POST',
    url: '/v1/partners',
    body: { code: 'AUDX', name: 'Audit Federation' },
  });
  t.equal(partner.statusCode, 201);
  const [created] = (await events('entity=partner&entityId=AUDX')).data;
  t.same(created?.actor, { kind: 'key', id: adminKeyId, name: 'JAHIZ_ADMIN_KEY' });
  t.match(created, {
    actorKeyId: adminKeyId,
    partnerCode: 'AUDX',
    entity: 'partner',
    entityId: 'AUDX',
    action: 'created',
    changes: { code: { to: 'AUDX' }, name: { to: 'Audit Federation' }, shortName: { to: 'AUDX' } },
  });
  t.notOk(created && 'from' in (created.changes?.code ?? {}), 'a creation has no before');

  const issued = await api({
    method: 'POST',
    url: '/v1/api-keys',
    body: { name: 'fenip sync', role: 'partner', partnerCode: 'FENIP' },
  });
  t.equal(issued.statusCode, 201);
  const key = issued.json();
  const [keyEvent] = (await events(`entity=apiKey&entityId=${key.id}`)).data;
  t.same(keyEvent?.changes, {
    name: { to: 'fenip sync' },
    role: { to: 'partner' },
    partnerCode: { to: 'FENIP' },
    keyPrefix: { to: key.keyPrefix },
  });
  t.equal(keyEvent?.partnerCode, 'FENIP');
  const stored = JSON.stringify(await app.db.selectFrom('auditEvents').selectAll().execute());
  t.notOk(stored.includes(key.key), 'the key is never in the audit log');
  const hash = (
    await app.db
      .selectFrom('apiKeys')
      .select('keyHash')
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow()
  ).keyHash;
  t.notOk(stored.includes(hash), 'nor its hash');

  const revoked = await api({ method: 'DELETE', url: `/v1/api-keys/${key.id}` });
  t.equal(revoked.statusCode, 200);
  const again = await api({ method: 'DELETE', url: `/v1/api-keys/${key.id}` });
  t.equal(again.statusCode, 200);
  const revocations = (await events(`entityId=${key.id}&action=revoked`)).data;
  t.equal(revocations.length, 1, 'revoking twice records one revocation');
  t.match(revocations[0]?.changes, { revokedAt: { from: null, to: String } });
});

t.test('filters', async (t) => {
  const other = await keyFor('admin');
  const otherId = (
    await app.db
      .selectFrom('apiKeys')
      .select('id')
      .where('role', '=', 'admin')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  ).id;
  const res = await api({
    method: 'POST',
    url: '/v1/partners',
    key: other,
    body: { code: 'AUDY', name: 'Other' },
  });
  t.equal(res.statusCode, 201);
  const byActor = (await events(`actor=${otherId}`)).data;
  t.same(
    byActor.map((e) => [e.entity, e.entityId]),
    [['partner', 'AUDY']],
  );
  t.same((await events(`actorKeyId=${otherId}`)).data, byActor, 'the older parameter still works');
  const both = await api({
    method: 'GET',
    url: `/v1/audit-events?actor=${otherId}&actorKeyId=${adminKeyId}`,
  });
  t.equal(both.statusCode, 400, 'actor and actorKeyId naming different keys');
  const byPartner = (await events('partner=FENIP&entity=apiKey')).data;
  t.ok(byPartner.length >= 2);
  t.ok(byPartner.every((e) => e.partnerCode === 'FENIP' && e.entity === 'apiKey'));
  const revokes = (await events('action=revoked')).data;
  t.ok(revokes.length >= 1 && revokes.every((e) => e.action === 'revoked'));

  const all = (await events('limit=100')).data;
  const newest = all[0];
  if (!newest) throw new Error('no events');
  t.same(
    (await events(`from=${encodeURIComponent(newest.occurredAt)}`)).data
      .map((e) => e.id)
      .includes(newest.id),
    true,
  );
  t.same(
    (await events(`to=${encodeURIComponent(newest.occurredAt)}`)).data
      .map((e) => e.id)
      .includes(newest.id),
    false,
    '`to` is exclusive',
  );
  t.same((await events('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).data, []);

  const bad = await api({ method: 'GET', url: '/v1/audit-events?from=yesterday&actorKeyId=1' });
  t.equal(bad.statusCode, 400);
  t.same(
    bad
      .json()
      .errors.map((e: { parameter: string }) => e.parameter)
      .sort(),
    ['actorKeyId', 'from'],
  );
  const reversed = await api({
    method: 'GET',
    url: '/v1/audit-events?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z',
  });
  t.equal(reversed.statusCode, 400);
  t.equal(reversed.json().errors[0].parameter, 'from');
});

t.test('paging walks every event once, newest first, while events are added', async (t) => {
  await recordAuditEvents(
    app.db,
    Array.from({ length: 23 }, (_, i) => ({
      actor: null,
      entity: 'paging',
      entityId: String(i),
      action: 'created',
    })),
  );
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { data: AuditEvent[]; nextCursor: string | null } = await events(
      `entity=paging&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...page.data.map((e) => e.entityId));
    cursor = page.nextCursor;
    pages += 1;
    // A write during paging lands before the first page, never in the walk.
    await recordAuditEvents(app.db, [
      { actor: null, entity: 'paging', entityId: `late${pages}`, action: 'created' },
    ]);
  } while (cursor);
  t.equal(pages, 5);
  t.same(
    seen,
    Array.from({ length: 23 }, (_, i) => String(22 - i)),
  );
  const bad = await api({ method: 'GET', url: '/v1/audit-events?cursor=abc' });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().errors[0].parameter, 'cursor');
});

t.test('only admins read the audit log', async (t) => {
  for (const key of [await keyFor('partner', 'FENIP'), await keyFor('reporting')]) {
    const res = await api({ method: 'GET', url: '/v1/audit-events', key });
    t.equal(res.statusCode, 403);
    t.equal(res.json().type, 'urn:jahiz:problem:forbidden');
  }
  t.equal((await api({ method: 'GET', url: '/v1/audit-events', key: null })).statusCode, 401);
});

t.test('the log is append-only; only a declared redaction rewrites changes', async (t) => {
  await recordAuditEvents(app.db, [
    {
      actor: null,
      entity: 'member',
      entityId: 'm1',
      action: 'created',
      changes: { name: { to: 'Coop' } },
    },
  ]);
  await t.rejects(
    sql`update audit_events set action = 'forged' where entity_id = 'm1'`.execute(app.db),
    {
      message: /append-only/,
    },
  );
  await t.rejects(sql`delete from audit_events where entity_id = 'm1'`.execute(app.db), {
    message: /append-only/,
  });
  await t.rejects(
    app.db.transaction().execute(async (trx) => {
      await sql`select set_config('jahiz.audit_redaction', 'on', true)`.execute(trx);
      await sql`update audit_events set action = 'forged' where entity_id = 'm1'`.execute(trx);
    }),
    { message: /only rewrite audit_events.changes/ },
  );
  await app.db.transaction().execute(async (trx) => {
    await sql`select set_config('jahiz.audit_redaction', 'on', true)`.execute(trx);
    await sql`update audit_events set changes = '{}' where entity_id = 'm1'`.execute(trx);
  });
  const row = await app.db
    .selectFrom('auditEvents')
    .select(['action', 'changes'])
    .where('entityId', '=', 'm1')
    .executeTakeFirstOrThrow();
  t.same(row, { action: 'created', changes: {} });
  await t.rejects(
    sql`update audit_events set changes = null where entity_id = 'm1'`.execute(app.db),
    {
      message: /append-only/,
    },
    'the setting ends with its transaction',
  );
});

t.test('redactAuditValues erases the values of personal fields only', async (t) => {
  await recordAuditEvents(app.db, [
    {
      actor: null,
      entity: 'member',
      entityId: 'm2',
      action: 'created',
      changes: {
        name: { to: 'Coop Atlas' },
        contacts: { to: [{ name: 'Fatima', email: 'f@example.ma' }] },
        'contacts.0.phone': { to: '+212600000000' },
      },
    },
    {
      actor: null,
      entity: 'member',
      entityId: 'm2',
      action: 'updated',
      changes: { contacts: { from: [{ name: 'Fatima' }], to: [] } },
    },
    {
      actor: null,
      entity: 'member',
      entityId: 'm2',
      action: 'updated',
      changes: { region: { from: 'MA-01', to: 'MA-02' } },
    },
    {
      actor: null,
      entity: 'member',
      entityId: 'm3',
      action: 'created',
      changes: { contacts: { to: [{ name: 'Other' }] } },
    },
  ]);
  const rewritten = await app.db
    .transaction()
    .execute((trx) => redactAuditValues(trx, 'member', 'm2', ['contacts']));
  t.equal(rewritten, 2, 'only events with a matching field are rewritten');
  const rows = await app.db
    .selectFrom('auditEvents')
    .select(['entityId', 'changes'])
    .where('entityId', 'in', ['m2', 'm3'])
    .orderBy('id')
    .execute();
  t.same(
    rows.map((r) => r.changes),
    [
      {
        name: { to: 'Coop Atlas' },
        contacts: { to: '[erased]' },
        'contacts.0.phone': { to: '[erased]' },
      },
      { contacts: { from: '[erased]', to: '[erased]' } },
      { region: { from: 'MA-01', to: 'MA-02' } },
      { contacts: { to: [{ name: 'Other' }] } },
    ],
  );
  t.equal(
    await redactAuditValues(app.db, 'member', 'm2', ['contacts']),
    2,
    'works outside a transaction too',
  );
  t.equal(await redactAuditValues(app.db, 'member', 'm2', []), 0);
});

t.test('diffChanges', async (t) => {
  t.same(
    diffChanges({ a: 1, b: { x: 1, y: 2 }, c: [1] }, { a: 1, b: { y: 2, x: 1 }, c: [2], d: 'new' }),
    {
      c: { from: [1], to: [2] },
      d: { from: undefined, to: 'new' },
    },
  );
  t.same(diffChanges({ a: 1, b: 2 }, { a: 2, b: 3 }, ['b']), { b: { from: 2, to: 3 } });
  t.same(diffChanges({ a: undefined }, {}), {});
  t.same(diffChanges({ a: null }, {}), { a: { from: null, to: undefined } });
});

t.test('creationChanges stores what diffChanges from nothing stores', async (t) => {
  const after = { a: 1, b: null, c: undefined, d: { x: [1, 'y'] }, e: '' };
  t.same(creationChanges(after), {
    a: { to: 1 },
    b: { to: null },
    d: { to: { x: [1, 'y'] } },
    e: { to: '' },
  });
  t.equal(JSON.stringify(creationChanges(after)), JSON.stringify(diffChanges({}, after)));
});
