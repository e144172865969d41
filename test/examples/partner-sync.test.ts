import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { type LocalMember, nightlySync } from '../../examples/partner-sync.js';
import { CLIENT_SCHEMA_PATH, clientTypes } from '../../scripts/typescript-client.js';
import { startTestApp } from '../helpers/app.js';
import { feedCaughtUp } from '../helpers/feed.js';
import { mergePatch } from '../members/fixtures.js';

const local = (externalRef: string, name: string): LocalMember => ({
  externalRef,
  type: 'company',
  name,
  region: 'MA-09',
  remoteArea: false,
  womenLed: false,
  products: [{ hsCode: '030389' }],
  certifications: [],
  exportMarkets: ['ES'],
  targetMarkets: [],
  contacts: [],
});

t.test('the typed client is generated from the committed contract', async (t) => {
  const contract = await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8');
  t.equal(
    await readFile(CLIENT_SCHEMA_PATH, 'utf8'),
    await clientTypes(contract),
    'clients/typescript/schema.d.ts is current: run `npm run openapi`',
  );
});

t.test('the example nightly sync, against the service over HTTP', async (t) => {
  const { app, api, keyFor } = await startTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const apiKey = await keyFor('partner', 'FENIP');
  const options = { baseUrl, apiKey, partnerCode: 'FENIP' };

  const night1 = await nightlySync({
    ...options,
    members: [local('F-1', 'Conserverie Atlantique'), local('F-2', 'Pêcheries du Sud')],
  });
  t.same(night1.upserts, { 'F-1': 'created', 'F-2': 'created' });
  t.same(night1.changed.map((m) => m.externalRef).sort(), ['F-1', 'F-2']);
  t.ok(night1.nextUpdatedSince);
  // The feed shows an event once every older transaction on the server has ended (any
  // database's: docs/events-and-webhooks.md). Beside other work a night may not see its own last
  // writes yet; the next night does. So: what a night sees is in order, and nothing is lost.
  const named = (events: { type: string; subject: { externalRef?: string | null } }[]) =>
    events.map((e) => [e.type, e.subject.externalRef]);
  const created = [
    ['member.created', 'F-1'],
    ['member.created', 'F-2'],
  ];
  t.same(named(night1.events), created.slice(0, night1.events.length), 'this night, in order');

  // During the day the programme team corrects F-1's city and employees.
  const f1 = night1.changed.find((m) => m.externalRef === 'F-1');
  const patched = await api({
    method: 'PATCH',
    url: `/v1/members/${f1?.id}`,
    headers: mergePatch(1),
    body: { city: 'Agadir', employees: { women: 12, men: 30 } },
  });
  t.equal(patched.statusCode, 200, patched.body);

  const night2 = await nightlySync({
    ...options,
    members: [local('F-1', 'Conserverie Atlantique SA'), local('F-2', 'Pêcheries du Sud')],
    ...(night1.nextUpdatedSince ? { updatedSince: night1.nextUpdatedSince } : {}),
    eventCursor: night1.nextEventCursor,
  });
  t.same(night2.upserts, { 'F-1': 'merged', 'F-2': 'replaced' }, 'the 428 was merged');
  const merged = (await api({ method: 'GET', url: '/v1/partners/FENIP/members/F-1' })).json();
  t.match(merged, {
    name: 'Conserverie Atlantique SA',
    city: 'Agadir',
    employees: { women: 12, men: 30 },
    version: 3,
  });
  t.ok(
    night2.changed.some((m) => m.externalRef === 'F-1' && m.version === 3),
    'the changes feed back what this night wrote',
  );
  const expected = [...created, ['member.updated', 'F-1'], ['member.updated', 'F-1']];
  const seen = [...night1.events, ...night2.events];
  // The morning after: what the last night could not see yet, from its cursor.
  await feedCaughtUp(app.db);
  const later = (
    await api({ method: 'GET', url: `/v1/events?after=${night2.nextEventCursor}`, key: apiKey })
  ).json().data;
  t.same(
    named([...seen, ...later]),
    expected,
    "night after night from the stored cursor: the creations, the team's correction, the merge",
  );
});
