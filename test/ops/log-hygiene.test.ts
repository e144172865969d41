/**
 * Log hygiene: writes carrying personal data and API keys, on success and error paths, leave no
 * secret (a key, its hash) and no person's contact details in any log line, and problem details
 * never show another partner's records.
 */
import t from 'tap';
import { hashKey } from '../../src/modules/api-keys/keys.js';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';
import { memberBody } from '../members/fixtures.js';

const contact = {
  name: 'Khadija Benlahcen-Oufkir',
  role: 'gérante',
  email: 'khadija.oufkir@coop-argan.example.ma',
  phone: '+212661987654',
};
const otherContact = {
  name: 'Youssef Aït Taleb',
  email: 'y.aittaleb@example.ma',
  phone: '+212522334455',
};

t.test('no secret and no personal data reaches the log', async (t) => {
  const { api, logs } = await startTestApp(t);
  const issued = await api({
    method: 'POST',
    url: '/v1/api-keys',
    body: { name: 'ASMEX sync', role: 'partner', partnerCode: 'ASMEX' },
  });
  t.equal(issued.statusCode, 201);
  const partnerKey = issued.json().key as string;
  const fenipKey = (
    await api({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'f', role: 'partner', partnerCode: 'FENIP' },
    })
  ).json().key as string;

  const created = await api({
    method: 'POST',
    url: '/v1/members',
    key: partnerKey,
    headers: { 'idempotency-key': 'log-hygiene-1' },
    body: memberBody({ partnerCode: 'ASMEX', externalRef: 'A-1', contacts: [contact] }),
  });
  t.equal(created.statusCode, 201, created.body);
  const member = created.json();

  const synced = await api({
    method: 'PUT',
    url: '/v1/partners/ASMEX/members/A-2',
    key: partnerKey,
    body: memberBody({
      partnerCode: 'ASMEX',
      name: 'Coopérative Argan Tiout',
      contacts: [otherContact],
    }),
  });
  t.equal(synced.statusCode, 201, synced.body);

  const patched = await api({
    method: 'PATCH',
    url: `/v1/members/${member.id}`,
    key: partnerKey,
    headers: { 'if-match': `"${member.version}"`, 'content-type': 'application/merge-patch+json' },
    body: { contacts: [{ ...contact, phone: '+212661000111' }] },
  });
  t.equal(patched.statusCode, 200, patched.body);

  // Error paths: invalid contact data, a stale version, a bulk row that fails, a wrong key.
  const invalid = await api({
    method: 'POST',
    url: '/v1/members',
    key: partnerKey,
    body: memberBody({
      partnerCode: 'ASMEX',
      contacts: [
        { name: contact.name, email: `${contact.email}@@`, phone: `${contact.phone}999999` },
      ],
    }),
  });
  t.equal(invalid.statusCode, 400, invalid.body);
  const stale = await api({
    method: 'PATCH',
    url: `/v1/members/${member.id}`,
    key: partnerKey,
    headers: { 'if-match': '"99"' },
    body: { contacts: [otherContact] },
  });
  t.equal(stale.statusCode, 412, stale.body);
  const bulk = await api({
    method: 'POST',
    url: '/v1/members/bulk',
    key: partnerKey,
    body: {
      members: [
        memberBody({ partnerCode: 'ASMEX', externalRef: 'B-1', contacts: [otherContact] }),
        memberBody({
          partnerCode: 'ASMEX',
          externalRef: 'B-2',
          region: 'MA-99',
          contacts: [contact],
        }),
      ],
    },
  });
  t.equal(bulk.statusCode, 200, bulk.body);
  const wrongKey = await api({ method: 'GET', url: '/v1/members', key: `${partnerKey}x` });
  t.equal(wrongKey.statusCode, 401);

  // Another partner asking for the member: a 404 that shows nothing of it.
  const foreign = await api({ method: 'GET', url: `/v1/members/${member.id}`, key: fenipKey });
  t.equal(foreign.statusCode, 404);
  const erase = await api({
    method: 'POST',
    url: `/v1/members/${member.id}/erase-personal-data`,
    key: fenipKey,
  });
  t.equal(erase.statusCode, 404);
  for (const res of [foreign, erase]) {
    for (const value of [contact.name, contact.email, contact.phone, member.name])
      t.notOk(res.body.includes(value), `a 404 to another partner does not show ${value}`);
  }

  const secrets = [
    ADMIN_KEY,
    partnerKey,
    fenipKey,
    `${partnerKey}x`,
    hashKey(partnerKey),
    hashKey(ADMIN_KEY),
  ];
  const personal = [
    contact.name,
    contact.email,
    contact.phone,
    '+212661000111',
    otherContact.name,
    otherContact.email,
    otherContact.phone,
  ];
  const lines = logs.map((line) => JSON.stringify(line));
  t.ok(
    lines.some((l) => l.includes('request refused')),
    'the error paths were logged',
  );
  t.ok(
    lines.some((l) => l.includes('/v1/members')),
    'the writes were logged',
  );
  for (const secret of secrets)
    t.same(
      lines.filter((l) => l.includes(secret)),
      [],
      `no log line holds the key ${secret.slice(0, 7)}…`,
    );
  for (const value of personal)
    t.same(
      lines.filter((l) => l.includes(value)),
      [],
      `no log line holds ${value}`,
    );
  t.notOk(
    lines.some((l) => /Bearer\s+jz_/.test(l)),
    'no bearer token in the logs',
  );
});
