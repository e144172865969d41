/**
 * People's access tokens (docs/people.md), end to end: a real OpenID provider in this process
 * issues the tokens of the happy paths; the negative cases are signed here, with the provider's
 * own key where only one claim is to be wrong.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { exportSPKI, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import t from 'tap';
import { loadConfig } from '../../src/config.js';
import { startTestApp } from '../helpers/app.js';
import { feedCaughtUp } from '../helpers/feed.js';
import { AUDIENCE, type SigningKey, signingKey, startProvider } from '../helpers/oidc-provider.js';
import { memberBody } from '../members/fixtures.js';

const ecKey = await signingKey('key-a', 'ES256');
const rsaKey = await signingKey('key-r', 'RS256');
const provider = await startProvider(
  {
    'amina.officer': { jahiz_role: 'admin', name: 'Amina Benali' },
    'youssef.fenip': { jahiz_role: 'partner', jahiz_partner: 'FENIP', name: 'Youssef Alaoui' },
    'salma.me': { jahiz_role: ['offline_access', 'reporting', 'default-roles-jahiz'] },
    'no.role': { name: 'Nobody' },
    'bad.role': { jahiz_role: 'superuser' },
    'two.roles': { jahiz_role: ['admin', 'reporting'] },
    'ghost.partner': { jahiz_role: 'partner', jahiz_partner: 'NOPE' },
    'no.partner': { jahiz_role: 'partner' },
  },
  [ecKey, rsaKey],
);
t.teardown(() => provider.close());

const { api, app } = await startTestApp(t, {
  OIDC_ISSUER: provider.issuer,
  OIDC_AUDIENCE: AUDIENCE,
  OIDC_JWKS_COOLDOWN_MS: '1000',
});
const personId = (sub: string) => `${provider.issuer}#${sub}`;

/** A token signed here: the provider's claims for a known admin, with `changes` applied. */
async function forged(
  changes: JWTPayload = {},
  key: SigningKey = ecKey,
  header: Record<string, string> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: provider.issuer,
    aud: AUDIENCE,
    sub: 'amina.officer',
    iat: now,
    exp: now + 300,
    jahiz_role: 'admin',
    ...changes,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

const me = (token: string) => api({ method: 'GET', url: '/v1/me', key: token });

t.test('the provider’s tokens sign people in with their role and partner', async (t) => {
  const admin = await me(await provider.token('amina.officer'));
  t.equal(admin.statusCode, 200, admin.body);
  t.same(admin.json(), {
    kind: 'person',
    id: personId('amina.officer'),
    subject: 'amina.officer',
    issuer: provider.issuer,
    name: 'Amina Benali',
    role: 'admin',
    partnerCode: null,
  });
  const partner = await me(await provider.token('youssef.fenip'));
  t.match(partner.json(), { kind: 'person', role: 'partner', partnerCode: 'FENIP' });
  const reporting = await me(await provider.token('salma.me'));
  t.match(reporting.json(), { role: 'reporting', partnerCode: null }, 'a list with one role');
  t.notOk('name' in reporting.json(), 'no name claim, no name');

  const key = await me(await keyOf('reporting'));
  t.match(key.json(), { kind: 'key', role: 'reporting', partnerCode: null, name: 'test key' });
  t.equal(key.json().subject, key.json().id, "a key's subject is its id");
});

async function keyOf(role: 'reporting' | 'partner', partnerCode?: string) {
  const res = await api({
    method: 'POST',
    url: '/v1/api-keys',
    body: { name: 'test key', role, ...(partnerCode ? { partnerCode } : {}) },
  });
  return res.json().key as string;
}

t.test('a person works within their partner, and the audit log names them', async (t) => {
  const token = await provider.token('youssef.fenip');
  const created = await api({
    method: 'POST',
    url: '/v1/members',
    key: token,
    body: memberBody({ partnerCode: undefined, name: 'Coopérative Argan Tiznit' }),
  });
  t.equal(created.statusCode, 201, created.body);
  t.equal(created.json().partnerCode, 'FENIP', 'the partner claim is the tenancy');
  const asmexMember = await api({
    method: 'POST',
    url: '/v1/members',
    body: memberBody({ name: 'Société ASMEX' }),
  });
  const other = await api({
    method: 'GET',
    url: `/v1/members/${asmexMember.json().id}`,
    key: token,
  });
  t.equal(other.statusCode, 404, "another partner's member is not there");
  const refused = await api({
    method: 'POST',
    url: '/v1/partners',
    key: token,
    body: { code: 'NEWP', name: 'New' },
  });
  t.equal(refused.statusCode, 403);
  t.match(refused.json().detail, /person with the partner role may not POST/);

  const id = personId('youssef.fenip');
  const audit = await api({
    method: 'GET',
    url: `/v1/audit-events?actor=${encodeURIComponent(id)}`,
  });
  t.equal(audit.statusCode, 200, audit.body);
  t.same(
    audit.json().data.map((e: { entity: string; entityId: string }) => [e.entity, e.entityId]),
    [['member', created.json().id]],
    'the filter finds the person’s write, and only it',
  );
  t.same(audit.json().data[0].actor, { kind: 'person', id, name: 'Youssef Alaoui' });
  t.equal(audit.json().data[0].actorKeyId, null);

  // The change feed names the person too, by id only: a feed entry never carries a person's name.
  await feedCaughtUp(app.db);
  const feed = await api({ method: 'GET', url: '/v1/events?types=member.created', key: token });
  t.equal(feed.statusCode, 200, feed.body);
  const entry = feed
    .json()
    .data.find((e: { subject: { id: string } }) => e.subject.id === created.json().id);
  t.same(entry?.actor, { kind: 'person', id });
  const byKey = await api({ method: 'GET', url: '/v1/events?types=member.created' });
  const keyEntry = byKey
    .json()
    .data.find((e: { subject: { id: string } }) => e.subject.id === asmexMember.json().id);
  t.same(Object.keys(keyEntry?.actor ?? {}).sort(), ['id', 'kind']);
  t.equal(keyEntry?.actor?.kind, 'key');

  // A person locks a period: the lock names them.
  const admin = await provider.token('amina.officer');
  const lock = await api({ method: 'POST', url: '/v1/periods/2024Q4/lock', key: admin });
  t.equal(lock.statusCode, 201, lock.body);
  t.equal(lock.json().createdBy, personId('amina.officer'));
});

t.test('a token without a valid role or partner is refused with a clear problem', async (t) => {
  const cases: [string, RegExp][] = [
    ['no.role', /"jahiz_role" claim must name one role of admin, partner, reporting \(got null\)/],
    ['bad.role', /"jahiz_role" claim must name one role .*superuser/],
    ['two.roles', /"jahiz_role" claim must name one role/],
    ['ghost.partner', /"jahiz_partner" claim names an unknown partner \("NOPE"\)/],
    ['no.partner', /must name the partner in its "jahiz_partner" claim/],
  ];
  for (const [client, detail] of cases) {
    const res = await me(await provider.token(client));
    t.equal(res.statusCode, 403, client);
    t.equal(res.json().type, 'urn:jahiz:problem:person-not-authorised', client);
    t.match(res.json().detail, detail, client);
  }
});

t.test('tokens signed here: a control, then each fault on its own', async (t) => {
  const control = await me(await forged());
  t.equal(
    control.statusCode,
    200,
    'the forged control passes: each case below fails for one fault',
  );
  const now = Math.floor(Date.now() / 1000);
  t.equal((await me(await forged({ exp: now - 10 }))).statusCode, 200, 'within the clock skew');

  // The public half of the provider's RSA key, as a PEM, used as an HMAC secret: the classic
  // algorithm-confusion attack.
  const hmacSecret = new TextEncoder().encode(await exportSPKI(rsaKey.publicKey));
  const unknownKey = await signingKey('key-unknown', 'ES256');
  const cases: [string, Promise<string>, RegExp][] = [
    ['expired', forged({ exp: now - 120 }), /has expired/],
    ['not yet valid', forged({ nbf: now + 120 }), /"nbf" claim/],
    ['wrong audience', forged({ aud: 'https://other.example/api' }), /"aud" claim/],
    ['wrong issuer', forged({ iss: 'https://evil.example' }), /not issued by the trusted issuer/],
    ['unknown key', forged({}, unknownKey), /key the issuer does not publish/],
    [
      'alg none',
      Promise.resolve(
        new UnsecuredJWT({ sub: 'amina.officer', jahiz_role: 'admin' })
          .setIssuer(provider.issuer)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .encode(),
      ),
      /accepted asymmetric algorithm/,
    ],
    [
      'HMAC with the public key',
      new SignJWT({ sub: 'amina.officer', jahiz_role: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: rsaKey.kid })
        .setIssuer(provider.issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(hmacSecret),
      /accepted asymmetric algorithm/,
    ],
    ['no subject', forged({ sub: undefined }), /"sub" claim/],
    ['a tampered payload', tampered(), /signature is invalid/],
  ];
  for (const [name, token, detail] of cases) {
    const res = await me(await token);
    t.equal(res.statusCode, 401, name);
    t.match(res.headers['www-authenticate'], /error="invalid_token"/, name);
    t.match(res.json().detail, detail, name);
  }
});

/** A valid token whose payload is swapped for another role's. */
async function tampered() {
  const [header, , signature] = (await forged({ jahiz_role: 'reporting' })).split('.');
  const [, payload] = (await forged()).split('.');
  return `${header}.${payload}.${signature}`;
}

t.test('a token claiming another issuer never makes the service fetch keys', async (t) => {
  await me(await forged());
  const before = provider.jwksFetches();
  await sleep(1100);
  const res = await me(
    await forged({ iss: 'https://evil.example' }, await signingKey('k', 'ES256')),
  );
  t.equal(res.statusCode, 401);
  t.equal(provider.jwksFetches(), before, 'no fetch for an unverified issuer');
});

t.test('a key rotation at the provider: one refetch, then the cooldown holds', async (t) => {
  const rotated = await signingKey('key-b', 'ES256');
  provider.rotate([rotated, ecKey, rsaKey]);
  await sleep(1100); // past the cooldown since the last fetch
  const fetched = provider.jwksFetches();
  const token = await provider.token('amina.officer');
  const res = await me(token);
  t.equal(res.statusCode, 200, 'a token of the new key is accepted');
  t.equal(provider.jwksFetches(), fetched + 1, 'after one fetch of the keys');
  t.equal((await me(token)).statusCode, 200);
  t.equal(provider.jwksFetches(), fetched + 1, 'which are cached');

  const stranger = await signingKey('key-unknown-2', 'ES256');
  for (let i = 0; i < 5; i += 1) {
    t.equal((await me(await forged({}, stranger))).statusCode, 401);
  }
  t.equal(provider.jwksFetches(), fetched + 1, 'unknown kids within the cooldown fetch nothing');
  await sleep(1100);
  t.equal((await me(await forged({}, stranger))).statusCode, 401);
  t.equal(provider.jwksFetches(), fetched + 2, 'after the cooldown, one refetch');
});

t.test('API keys keep working beside people', async (t) => {
  const res = await api({ method: 'GET', url: '/v1/me' });
  t.match(res.json(), { kind: 'key', role: 'admin', name: 'JAHIZ_ADMIN_KEY' });
  void app;
});

t.test('an unreachable identity provider is a 503; keys still work', async (t) => {
  const down = await startProvider({}, [ecKey]);
  const issuer = down.issuer;
  await down.close();
  const { api: apiDown } = await startTestApp(t, {
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: AUDIENCE,
  });
  const token = await new SignJWT({ sub: 'x', jahiz_role: 'admin' })
    .setProtectedHeader({ alg: 'ES256', kid: ecKey.kid })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(ecKey.privateKey);
  const res = await apiDown({ method: 'GET', url: '/v1/me', key: token });
  t.equal(res.statusCode, 503);
  t.equal(res.json().type, 'urn:jahiz:problem:identity-provider-unavailable');
  t.equal((await apiDown({ method: 'GET', url: '/v1/me' })).statusCode, 200);
});

t.test('without OIDC configured, a JWT is just an unknown key', async (t) => {
  const { api: plain } = await startTestApp(t);
  const res = await plain({ method: 'GET', url: '/v1/me', key: await forged() });
  t.equal(res.statusCode, 401);
  t.match(res.json().detail, /API key is unknown/);
});

t.test('the configuration takes a trusted issuer with its audience', async (t) => {
  const base = { JAHIZ_DATA_DIR: '/tmp/unused' };
  t.throws(
    () =>
      loadConfig({
        ...base,
        OIDC_ISSUER: 'http://idp.example.org/realms/jahiz',
        OIDC_AUDIENCE: 'a',
      }),
    /OIDC_ISSUER must be an https URL \(http only on a loopback address\)/,
  );
  t.throws(
    () => loadConfig({ ...base, OIDC_ISSUER: 'https://idp.example.org/realms/jahiz' }),
    /OIDC_ISSUER and OIDC_AUDIENCE go together/,
  );
  t.match(
    loadConfig({
      ...base,
      OIDC_ISSUER: 'http://localhost:8081/realms/jahiz',
      OIDC_AUDIENCE: 'jahiz-api',
    }).oidc,
    { roleClaim: 'jahiz_role', partnerClaim: 'jahiz_partner', clockToleranceS: 30 },
  );
});
