import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { type LocalMember, nightlySync } from '../../examples/partner-sync.js';
import { CLIENT_SCHEMA_PATH, clientTypes } from '../../scripts/typescript-client.js';
import { startTestApp } from '../helpers/app.js';
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
  t.same(
    night1.events.map((e) => [e.type, e.subject.externalRef]),
    [
      ['member.created', 'F-1'],
      ['member.created', 'F-2'],
    ],
    'the feed names what this night created',
  );

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
  t.same(
    night2.events.map((e) => [e.type, e.subject.externalRef]),
    [
      ['member.updated', 'F-1'],
      ['member.updated', 'F-1'],
    ],
    "the feed, from last night's cursor: the team's correction, then the merge",
  );
});
